"""filmstrip demo: publish the demo essay."""

from django.core.management.base import BaseCommand

from filmstrip.demo.essay import build_demo, demo_exists
from filmstrip.stories.models import Story


class Command(BaseCommand):
    help = "Publish Filmstrip's demo essay (16 real photos with captions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the site already has an essay (what `make run` uses).",
        )

    def handle(self, *, if_empty, **_):
        if if_empty and Story.objects.exists():
            self.stdout.write("The site already has essays; leaving it as it is.")
            return
        replaced = demo_exists()
        story = build_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Rebuilt' if replaced else 'Published'} the demo essay “{story.title}” at "
                f"{story.get_absolute_url()}; its photos are processed in the background."
            )
        )
