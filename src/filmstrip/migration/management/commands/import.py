"""filmstrip import folder DIR --title "…" [--publish] [--author NAME] [--wait]
filmstrip import wordpress EXPORT.xml [--media DIR|ARCHIVE] [--fetch-media] [--pages]
                                      [--overwrite] [--dry-run]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from filmstrip.cli.progress import ProgressBar
from filmstrip.cli.waiting import wait_for
from filmstrip.migration.archive import ArchiveError
from filmstrip.migration.archive.restore import restore_archive
from filmstrip.migration.folder import FolderError, candidate_files, import_folder
from filmstrip.migration.wordpress import importer


class Command(BaseCommand):
    help = (
        'Import photos into an essay (`filmstrip import folder DIR --title "…"`), or a '
        "WordPress site's posts (`filmstrip import wordpress EXPORT.xml --media DIR`)."
    )
    # The checks load every URL and view to inspect them: a tenth of a second before the
    # first photo is queued, for nothing an import uses. `filmstrip serve` runs them.
    requires_system_checks = []

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
        folder.add_argument(
            "--wait",
            action="store_true",
            help="Show progress until a worker has processed every photo.",
        )

        self._wordpress_arguments(sources)
        archive = sources.add_parser(
            "archive",
            help="a whole site from `filmstrip export archive`, into an empty database",
            called_from_command_line=getattr(self, "_called_from_command_line", False),
        )
        archive.add_argument("archive", metavar="IN.tar")

    def _wordpress_arguments(self, sources):
        wordpress = sources.add_parser(
            "wordpress",
            help="a WordPress or WordPress.com export (WXR): posts, photos, comments, links",
            called_from_command_line=getattr(self, "_called_from_command_line", False),
        )
        wordpress.add_argument("export", metavar="EXPORT.xml")
        wordpress.add_argument(
            "--media",
            metavar="DIR|ARCHIVE",
            help="The uploads folder (wp-content/uploads), or an archive of it (tar, zip).",
        )
        wordpress.add_argument(
            "--fetch-media",
            action="store_true",
            help="Download the photos not found in --media from the old site.",
        )
        wordpress.add_argument("--pages", action="store_true", help="Import pages too.")
        wordpress.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace essays edited here since the last import with the export's version.",
        )
        wordpress.add_argument(
            "--dry-run", action="store_true", help="Show the report; write nothing."
        )

    def handle(self, *, source, **options):
        return getattr(self, f"handle_{source}")(**options)

    def handle_archive(self, *, archive, **_):
        with ProgressBar(0, "restoring", self.stderr._out) as bar:
            try:
                result = restore_archive(Path(archive).expanduser(), progress=bar.report)
            except (ArchiveError, OSError) as exc:
                raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.rows.items() if n)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows}; {result.originals} original(s), {result.queued} photo(s) to "
                "process again (`filmstrip serve` or `filmstrip worker` does it). Accounts "
                "come back without passwords: `filmstrip changepassword NAME` sets one."
            )
        )

    def handle_wordpress(self, *, export, media, fetch_media, pages, overwrite, dry_run, **_):
        with ProgressBar(0, "reading the export", self.stderr._out) as bar:
            try:
                report = importer.import_wordpress(
                    Path(export).expanduser(),
                    media=media and Path(media).expanduser(),
                    fetch=fetch_media,
                    pages=pages,
                    overwrite=overwrite,
                    dry_run=dry_run,
                    on_progress=bar.report,
                )
            except importer.ImportRefused as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.lines()))

    def handle_folder(self, *, directory, title, publish, author, wait, verbosity, **_):
        user = self._user(author)
        folder = Path(directory).expanduser()
        if not folder.is_dir():
            raise CommandError(f"{folder.resolve()} is not a folder")
        failures = []
        with ProgressBar(len(candidate_files(folder)), "importing", self.stderr._out) as bar:

            def report(name, outcome, detail):
                bar.advance(label=name)
                if outcome == "failed":
                    failures.append(f"  failed   {name}: {detail}")
                elif verbosity > 1:
                    self.stdout.write(f"  {outcome:<8} {name}")

            try:
                result = import_folder(
                    folder, title=title, publish=publish, author=user, on_file=report
                )
            except FolderError as exc:
                raise CommandError(str(exc)) from exc
        for line in failures:
            self.stderr.write(line)

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
        if result.added and wait:
            ids = list(story.items.exclude(photo=None).values_list("photo_id", flat=True))
            counts = wait_for(ids, self.stderr._out)
            self.stdout.write(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
        elif result.added:
            self.stdout.write(
                "Photos are processed in the background by `filmstrip serve` or "
                "`filmstrip worker`; --wait follows their progress."
            )

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
