from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "filmstrip.comments"
    label = "comments"
    verbose_name = "Comments"
