from django.apps import AppConfig


class PublishedConfig(AppConfig):
    name = "filmstrip.published"
    label = "published"
    verbose_name = "Published site"

    def ready(self):
        from filmstrip.stories.signals import public_changed

        from .requests import public_changed_received

        public_changed.connect(public_changed_received, dispatch_uid="published.rebuild")
