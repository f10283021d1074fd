from django.apps import AppConfig


class BacklinksConfig(AppConfig):
    name = "filmstrip.backlinks"
    label = "backlinks"
    verbose_name = "Links back"

    def ready(self):
        from filmstrip.stories.signals import story_changed

        from .tasks import queue_notices

        story_changed.connect(queue_notices, dispatch_uid="backlinks.queue_notices")
