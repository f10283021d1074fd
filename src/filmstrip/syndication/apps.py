from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "filmstrip.syndication"
    label = "syndication"
    verbose_name = "Feeds and discovery"
