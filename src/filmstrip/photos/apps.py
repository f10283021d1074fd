from django.apps import AppConfig
from django.db.models.signals import post_delete


class PhotosConfig(AppConfig):
    name = "filmstrip.photos"
    label = "photos"
    verbose_name = "Photos"

    def ready(self):
        from . import removal
        from .models import Photo

        post_delete.connect(removal.photo_deleted, sender=Photo, dispatch_uid="photo-files")
