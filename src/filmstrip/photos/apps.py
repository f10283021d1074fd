from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "filmstrip.photos"
    label = "photos"
    verbose_name = "Photos"
