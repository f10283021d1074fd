from django.apps import AppConfig


class PublishedConfig(AppConfig):
    name = "filmstrip.published"
    label = "published"
    verbose_name = "Published site"

    def ready(self):
        from django.db.models.signals import post_delete

        from filmstrip.photos.models import Rendition
        from filmstrip.stories.signals import public_changed

        from .renditions import withdraw
        from .requests import public_changed_received

        public_changed.connect(public_changed_received, dispatch_uid="published.rebuild")
        post_delete.connect(withdraw, sender=Rendition, dispatch_uid="published.withdraw")
