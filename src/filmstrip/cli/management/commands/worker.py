"""filmstrip worker: run background jobs (photo processing) from the shared database."""

import logging
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from filmstrip.conf import settings
from filmstrip.photos import jobs, processing

from ._processes import Supervisor

logger = logging.getLogger("filmstrip.worker")


def _watch_leases(stop: threading.Event) -> None:
    """Requeue photos whose worker died mid-job, whichever machine it ran on."""
    interval = max(5, settings.PROCESSING_LEASE_SECONDS // 4)
    while not stop.wait(interval):
        try:
            if count := jobs.recover():
                logger.warning("Requeued %d photo(s) whose processing had stalled", count)
        except Exception:
            logger.exception("Checking for stalled jobs failed")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run background workers that process photos. Several may run at once, on any machine."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="Worker processes to run (default 1; one per core is a good start).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Exit once no job is waiting.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default 1).",
        )
        parser.add_argument(
            "--sole-worker",
            action="store_true",
            help="Promise that no other worker is alive (as `filmstrip serve` does): photos "
            "left 'processing' by a killed worker are requeued at once, not after the lease.",
        )
        parser.add_argument("--no-recover", action="store_true", help="Skip start-up recovery.")

    def handle(self, *, concurrency, batch, interval, sole_worker, no_recover, verbosity, **_):
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1")
        if not no_recover:
            count = jobs.recover(startup=True, sole_worker=sole_worker)
            if count and verbosity:
                self.stdout.write(f"{count} photo(s) waiting to be processed.")
        if concurrency > 1:
            self._run_children(concurrency, batch, interval)
            return
        stop = threading.Event()
        if not batch:
            threading.Thread(target=_watch_leases, args=(stop,), daemon=True).start()
            processing.sandbox().start()
        try:
            call_command(
                "db_worker",
                interval=interval,
                batch=batch,
                reload=False,
                # The queue's own per-job lines only at -v 2; Filmstrip logs each photo itself.
                startup_delay=not batch,
                verbosity=max(0, verbosity - 1),
            )
        finally:
            stop.set()

    def _run_children(self, concurrency, batch, interval):
        command = [
            sys.executable,
            "-m",
            "filmstrip.cli",
            "worker",
            "--no-recover",
            f"--interval={interval}",
        ] + (["--batch"] if batch else [])
        with Supervisor() as supervisor:
            for _ in range(concurrency):
                supervisor.start(subprocess.Popen(command))
            supervisor.wait()
        if supervisor.failed:
            raise CommandError("A worker process exited with an error; see its output above.")
