from django.apps import AppConfig


class BacklinksConfig(AppConfig):
    name = "filmstrip.backlinks"
    label = "backlinks"
    verbose_name = "Links back"
