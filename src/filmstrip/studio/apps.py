from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "filmstrip.studio"
    label = "studio"
    verbose_name = "Studio"
