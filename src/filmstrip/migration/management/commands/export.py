"""filmstrip export archive OUT.tar: the whole site in one file (docs/archive.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filmstrip.cli.progress import ProgressBar
from filmstrip.migration.archive import ArchiveError
from filmstrip.migration.archive.export import export_archive


class Command(BaseCommand):
    help = "Export the whole site: `filmstrip export archive OUT.tar` (restore: import archive)."
    requires_system_checks = []

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        archive = kinds.add_parser(
            "archive",
            help="essays, photos' originals, comments, links back, settings: everything "
            "`filmstrip import archive` needs to rebuild the site elsewhere",
            called_from_command_line=getattr(self, "_called_from_command_line", False),
        )
        archive.add_argument("out", metavar="OUT.tar", help="a .tar, or .tar.gz to compress")

    def handle(self, *, kind, out, **_):
        path = Path(out).expanduser()
        if path.is_dir():
            raise CommandError(f"{path} is a folder; name the archive file to write")
        with ProgressBar(0, "exporting", self.stderr._out) as bar:
            try:
                result = export_archive(path, progress=bar.report)
            except (ArchiveError, OSError) as exc:
                raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in result.rows.items() if n)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({result.bytes / 2**20:.1f} MB): {rows}; "
                f"{result.originals} original(s). It holds private data (commenters' e-mail "
                "addresses, where photos were taken): keep it as you keep the database."
            )
        )
