"""filmstrip photos status [--json] | rebuild [--failed | --all] [--wait] | prune [--apply]"""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from filmstrip.cli.waiting import wait_for
from filmstrip.photos import jobs, pruning
from filmstrip.photos.models import Photo


class Command(BaseCommand):
    help = "Report on photos and their processing, or queue them to be processed again."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        kwargs = {"called_from_command_line": getattr(self, "_called_from_command_line", False)}
        status = actions.add_parser("status", help="every photo with its state", **kwargs)
        status.add_argument("--json", action="store_true", help="one JSON object per photo")
        status.add_argument("--state", choices=Photo.Status.values, help="only this state")
        rebuild = actions.add_parser("rebuild", help="process photos again", **kwargs)
        which = rebuild.add_mutually_exclusive_group(required=True)
        which.add_argument("--failed", action="store_true", help="the photos that failed")
        which.add_argument("--all", action="store_true", help="every photo")
        rebuild.add_argument(
            "--wait",
            action="store_true",
            help="show progress until a worker has processed them all",
        )

        prune = actions.add_parser(
            "prune",
            help="list (--apply: delete) photos no essay shows and files no photo needs",
            **kwargs,
        )
        mode = prune.add_mutually_exclusive_group()
        mode.add_argument("--apply", action="store_true", help="delete what is listed")
        mode.add_argument("--dry-run", action="store_true", help="only list (the default)")
        prune.add_argument(
            "--grace",
            type=float,
            default=pruning.DEFAULT_GRACE_DAYS,
            metavar="DAYS",
            help="keep anything younger than this (default: %(default)s)",
        )

    def handle(self, *, action, **options):
        if action == "status":
            self._status(options["json"], options["state"])
        elif action == "prune":
            self._prune(options["apply"], options["grace"])
        else:
            self._rebuild(options["all"], options["wait"])

    def _prune(self, apply: bool, grace_days: float):
        if grace_days < 0:
            raise CommandError("--grace must be 0 days or more.")
        result = pruning.prune(grace=timedelta(days=grace_days), apply=apply)
        for item in result.items:
            self.stdout.write(f"{item.kind:<14} {item.size:>12,} B  {item.name}")
        counts = ", ".join(
            f"{result.count(kind)} {label}"
            for kind, label in (
                ("photo", "photo(s) no essay shows, with their files"),
                ("original", "original(s) of no photo"),
                ("rendition", "rendition(s) of no photo"),
                ("old rendition", "rendition(s) of an earlier pipeline"),
            )
        )
        verb = "Deleted" if apply else "Would delete"
        summary = f"{verb} {counts}: {result.size / 1e6:,.1f} MB."
        self.stdout.write(self.style.SUCCESS(summary))
        if not apply and result.items:
            self.stdout.write("Nothing was deleted: run again with --apply to delete these.")

    def _status(self, as_json: bool, state: str | None):
        photos = Photo.objects.order_by("pk")
        if state:
            photos = photos.filter(status=state)
        fields = [
            "pk",
            "original_filename",
            "status",
            "failure_reason",
            "width",
            "height",
            "attempts",
            "status_changed_at",
        ]
        for row in photos.values(*fields).iterator():
            if as_json:
                row["id"] = row.pop("pk")
                row["status_changed_at"] = row["status_changed_at"].isoformat()
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                reason = f"  {row['failure_reason']}" if row["failure_reason"] else ""
                self.stdout.write(
                    f"{row['pk']:>6}  {row['status']:<10}  {row['original_filename']}{reason}"
                )
        if not as_json:
            counts = {s: photos.filter(status=s).count() for s in Photo.Status.values}
            summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no photos"
            self.stdout.write(self.style.SUCCESS(summary))

    def _rebuild(self, everything: bool, wait: bool):
        photos = (
            Photo.objects.all() if everything else Photo.objects.filter(status=Photo.Status.FAILED)
        )
        ids = list(photos.exclude(status=Photo.Status.PROCESSING).values_list("pk", flat=True))
        count = jobs.rebuild(Photo.objects.filter(pk__in=ids))
        self.stdout.write(f"Queued {count} photo(s) for processing.")
        if wait and ids:
            counts = wait_for(ids, self.stderr._out)
            self.stdout.write(", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
            if counts.get(Photo.Status.FAILED):
                raise CommandError(
                    "Some photos failed again: see `filmstrip photos status --state failed`."
                )
