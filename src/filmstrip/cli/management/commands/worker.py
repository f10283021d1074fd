"""filmstrip worker: run background jobs (photo processing) from the shared database."""

import logging
import sys
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker

from filmstrip.conf import filmstrip_settings
from filmstrip.photos import jobs, processing
from filmstrip.stories import publishing

from ._processes import Supervisor

logger = logging.getLogger("filmstrip.worker")

# Errors that a busy, restarting or briefly unreachable database gives ("database is locked"):
# the worker waits and tries again, longer each time up to the last figure.
TRANSIENT = (OperationalError, InterfaceError)
RETRY_SECONDS = (1, 2, 5, 10, 30)


def retrying(action, *, stopped=lambda: False, attempts: int | None = None):
    """Run ``action`` until it ends without a transient database error; its result.

    Gives up (raises) after ``attempts`` tries if given, and at once inside a transaction
    opened by the caller, which a new connection could not continue."""
    attempt = 0
    while True:
        started = time.monotonic()
        try:
            return action()
        except TRANSIENT as error:
            if stopped():
                return None
            if connection.in_atomic_block or (attempts is not None and attempt + 1 >= attempts):
                raise
            if time.monotonic() - started > RETRY_SECONDS[-1]:
                attempt = 0  # it had been working for a while: start the backoff again
            delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
            logger.warning("Database error (%s); the worker tries again in %d s", error, delay)
            connections.close_all()  # a broken connection is opened afresh
            time.sleep(delay)
            attempt += 1


class _QueueWorker(db_worker.Worker):
    """The task queue's worker loop, which outlives database errors instead of exiting."""

    def run(self) -> None:
        def attempt():
            try:
                super(_QueueWorker, self).run()
            finally:
                self.startup_delay = False

        # A batch run (tests, cron) ends with the error rather than waiting on it for ever.
        attempts = len(RETRY_SECONDS) if self.batch else None
        retrying(attempt, stopped=lambda: not self.running, attempts=attempts)


def _watch_leases(stop: threading.Event) -> None:
    """Requeue photos whose worker died mid-job, whichever machine it ran on."""
    interval = max(5, filmstrip_settings.PROCESSING_LEASE_SECONDS // 4)
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
            count = retrying(lambda: jobs.recover(startup=True, sole_worker=sole_worker))
            if count and verbosity:
                self.stdout.write(f"{count} photo(s) waiting to be processed.")
            retrying(publishing.queue_scheduled)  # essays scheduled before their job existed
        if concurrency > 1:
            self._run_children(concurrency, batch, interval)
            return
        stop = threading.Event()
        if not batch:
            threading.Thread(target=_watch_leases, args=(stop,), daemon=True).start()
            processing.sandbox().start()
        # The queue's own per-job lines only at -v 2; Filmstrip logs each photo itself.
        db_worker.Command().configure_logging(max(0, verbosity - 1))
        worker = _QueueWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
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
                supervisor.start("worker", command, keep_running=not batch)
            supervisor.wait()
        if supervisor.failed:
            raise CommandError("A worker process exited with an error; see its output above.")
