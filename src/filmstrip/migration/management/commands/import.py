"""filmstrip import folder DIR --title "…" [--publish]"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from filmstrip.migration.folder import FolderError, import_folder


class Command(BaseCommand):
    help = 'Import photos into an essay. `filmstrip import folder DIR --title "…"`.'

    def add_arguments(self, parser):
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        folder = sources.add_parser(
            "folder",
            help="a folder of photos, ordered by capture time, captions from the files",
            called_from_command_line=getattr(self, "_called_from_command_line", False),
        )
        folder.add_argument("directory", metavar="DIR")
        folder.add_argument("--title", required=True, help="Title of the essay.")
        folder.add_argument("--publish", action="store_true", help="Publish the essay at once.")
        folder.add_argument("--author", help="Username of the essay's author.")

    def handle(self, *, source, directory, title, publish, author, verbosity, **_):
        user = None
        if author:
            try:
                user = get_user_model().objects.get_by_natural_key(author)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {author!r}.") from exc

        def report(name, outcome, detail):
            if outcome == "failed":
                self.stderr.write(f"  failed   {name}: {detail}")
            elif verbosity > 1 or (verbosity and outcome == "added"):
                self.stdout.write(f"  {outcome:<8} {name}")

        try:
            result = import_folder(
                directory, title=title, publish=publish, author=user, on_file=report
            )
        except FolderError as exc:
            raise CommandError(str(exc)) from exc
        story = result.story
        verb = "Created" if result.story_created else "Updated"
        state = "published" if story.is_published else "draft"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} “{story.title}” ({state}) at {story.get_absolute_url()}: "
                f"{len(result.added)} photo(s) added, "
                f"{len(result.already_in_essay)} already there, "
                f"{len(result.failed)} failed."
            )
        )
        if result.added:
            self.stdout.write(
                "Photos are processed in the background by `filmstrip serve` or `filmstrip worker`."
            )
