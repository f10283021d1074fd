from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "filmstrip.stories"
    label = "stories"
    verbose_name = "Essays"
