"""filmstrip publish --all | --check | --to DIR | --follow: the published site, by hand or kept."""

import os
import signal
import sys
import threading

from django.core.management.base import BaseCommand, CommandError

from filmstrip.cli.progress import ProgressBar
from filmstrip.published import check, export, layout, tasks
from filmstrip.published import follow as follower


class Command(BaseCommand):
    help = (
        "Rebuild the published site (the public pages as files), check it against what "
        "rendering gives now, or write the whole public site into a folder for a static host."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="rebuild every public document")
        which.add_argument(
            "--check",
            action="store_true",
            help="list every file that differs from a rendering now, is missing or stale, or "
            "could not be written; exit status 1 if there is any",
        )
        which.add_argument(
            "--to",
            metavar="DIR",
            help="write the whole public site into DIR, for any static host (forms and "
            "Webmentions still go to FILMSTRIP_SITE_URL)",
        )
        which.add_argument(
            "--follow",
            action="store_true",
            help="keep this machine's published directory up to date from the shared database "
            "until stopped, for a front machine whose nginx sends the files (`filmstrip serve "
            "--no-worker` does it itself)",
        )

    def handle(self, *, all, check, to, follow, verbosity, **_):
        if all:
            self._all()
        elif check:
            self._check()
        elif follow:
            self._follow()
        else:
            self._to(to)

    def _bar(self, label):
        return ProgressBar(0, label, self.stderr._out)

    def _all(self):
        with self._bar("rendering") as bar:
            result = tasks.run_pending(everything=True, progress=bar.report)
        self.stdout.write(
            f"Published {len(result.written)} changed document(s), {result.unchanged} "
            f"unchanged, {len(result.removed)} removed, into {layout.root()}"
        )

    def _check(self):
        with self._bar("checking") as bar:
            result = check.check(progress=bar.report)
        for line in result.lines():
            self.stdout.write(line)
        if result.waiting:
            self.stdout.write(f"{result.waiting} rebuild request(s) waiting for the worker.")
        if result.behind:
            self.stdout.write(
                f"{result.behind} logged change(s) this machine's follower has yet to rebuild."
            )
        if not result.ok:
            raise CommandError(f"The published site in {layout.root()} is not up to date.")
        self.stdout.write(f"The published site in {layout.root()} is up to date.")

    def _follow(self):
        # Stopped at once, even mid-rebuild: each file is replaced by a rename, and the cursor
        # moves only after a rebuild has finished, so the next start does the rest.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: sys.exit(0))
        self.stdout.write(f"Following the published site into {layout.root()}.")
        self.stdout.flush()
        follower.follow(threading.Event())

    def _to(self, folder):
        folder = os.path.abspath(folder)
        if os.path.realpath(folder) == os.path.realpath(layout.root()):
            raise CommandError("--to writes a copy; use --all for the published directory itself")
        with self._bar("exporting") as bar:
            counts = export.export_site(folder, progress=bar.report)
        self.stdout.write(
            f"Wrote {counts['documents']} document(s), {counts['renditions']} rendition(s) and "
            f"{counts['static']} static file(s) into {folder}"
        )
