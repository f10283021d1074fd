from django.apps import AppConfig
from django.db.models.signals import post_delete


class StoriesConfig(AppConfig):
    name = "filmstrip.stories"
    label = "stories"
    verbose_name = "Essays"

    def ready(self):
        from filmstrip.photos.removal import photo_released
        from filmstrip.photos.signals import photo_ready

        from . import publishing
        from .models import StoryItem

        # A photo no essay shows any more is taken down, files and all.
        post_delete.connect(photo_released, sender=StoryItem, dispatch_uid="photo-released")
        # A photo with new renditions changes the published essays that show it.
        photo_ready.connect(publishing.photo_ready, dispatch_uid="stories.photo-ready")
