"""Following the shared log: the published files of every machine that serves them.

Each machine that serves the published site from its own disk (`filmstrip serve --no-worker`,
or `filmstrip publish --follow` beside nginx) reads the log entries (models.LogEntry) after its
cursor about once a second and runs the same ``rebuild`` as the worker on its own directory.
The cursor lives in that directory (``.follow``), so a new machine, a directory that was
deleted or built by another version, or a machine whose cursor is older than the pruned log
rebuilds everything instead.

Entry ids are handed out when a row is inserted, not when its transaction commits: on
PostgreSQL, entry 11 may be read while entry 10's transaction is still open. Ids skipped below
the cursor are remembered as gaps and looked for again at each read, for an hour (a rolled-back
change leaves a gap that never fills).
"""

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import close_old_connections, connections
from django.db.models import Max, Q
from django.utils import timezone

from . import files, layout, stamp
from .models import LogEntry
from .requests import ALL

logger = logging.getLogger("filmstrip.published")

POLL_SECONDS = 1.0
RETRY_SECONDS = 10.0
KEEP_LOG = timedelta(days=1)
# A cursor read less recently than this may have missed entries that were pruned since.
TRUST_CURSOR_SECONDS = (KEEP_LOG - timedelta(hours=1)).total_seconds()
GAP_SECONDS = 3600
MAX_GAPS = 1000  # the highest kept: few transactions are open at once
SAVE_IDLE_SECONDS = 600  # an idle follower records that it read, this often
PRUNE_EVERY_SECONDS = 3600


@dataclass
class Cursor:
    """The last entry applied, the ids below it not seen yet (with when they were first
    missed), and when the log was last read."""

    last: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    read_at: float = 0.0
    saved_at: float = 0.0

    @classmethod
    def load(cls, root: str) -> "Cursor | None":
        try:
            with open(os.path.join(root, layout.CURSOR)) as handle:
                data = json.load(handle)
            gaps = {int(key): float(value) for key, value in data["gaps"].items()}
            cursor = cls(int(data["last"]), gaps, float(data["read_at"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        cursor.saved_at = cursor.read_at
        return cursor

    def save(self, root: str) -> None:
        data = {"last": self.last, "gaps": self.gaps, "read_at": self.read_at}
        files.write_atomic(os.path.join(root, layout.CURSOR), json.dumps(data).encode())
        self.saved_at = self.read_at


def claim(root: str) -> None:
    """Mark ``root`` as kept by a follower before any web process looks at it, with a cursor
    too old to trust (so the follower rebuilds it whole): a web process finding it not built
    yet then leaves that to the follower instead of asking every machine for the whole site."""
    if Cursor.load(root) is None:
        os.makedirs(root, exist_ok=True)
        Cursor().save(root)


@dataclass
class Step:
    targets: list[str]
    result: object = None  # rebuild.RebuildResult
    # Photo pages left until photos are processed: step again after RETRY_SECONDS, or as soon
    # as an entry past this id arrives.
    wait_after: int | None = None


def step(now: float | None = None) -> Step | None:
    """Apply what the log holds beyond this machine's cursor; None when there was nothing.
    A rebuild that fails raises, and the cursor stays where it was: the next step retries."""
    now = time.time() if now is None else now
    root = layout.root()
    cursor = Cursor.load(root)
    newest = LogEntry.objects.aggregate(newest=Max("id"))["newest"] or 0
    if (
        cursor is None
        or now - cursor.read_at > TRUST_CURSOR_SECONDS
        or cursor.last > newest  # another database, or a log that started again
        or not stamp.is_current(root)
    ):
        return _whole(root, now, newest)
    wanted = Q(id__gt=cursor.last) | Q(id__in=list(cursor.gaps))
    entries = dict(LogEntry.objects.filter(wanted).order_by("id").values_list("id", "target"))
    if not entries:
        cursor.read_at = now
        if now - cursor.saved_at > SAVE_IDLE_SECONDS:
            cursor.save(root)
        return None
    targets = list(dict.fromkeys(entries.values()))
    last = max(cursor.last, max(entries))
    newer = LogEntry.objects.filter(id__gt=last).exists
    result = _rebuild(targets, newer=newer)
    if result.interrupted:
        # The same entries again: at once with a newer one, or once photos stop waiting (each
        # processed photo logs its essay again), not every second while an import runs.
        return Step(targets, result, wait_after=None if newer() else last)
    gaps = {key: first for key, first in cursor.gaps.items() if key not in entries}
    gaps.update((key, now) for key in range(cursor.last + 1, last) if key not in entries)
    Cursor(last, _recent(gaps, now), now).save(root)
    return Step(targets, result)


def behind(root: str) -> int | None:
    """Entries logged that this directory's follower has not applied; None if none follows it."""
    cursor = Cursor.load(root)
    if cursor is None:
        return None
    return LogEntry.objects.filter(Q(id__gt=cursor.last) | Q(id__in=list(cursor.gaps))).count()


def _whole(root: str, now: float, newest: int) -> Step:
    """Rebuild everything, and start following from ``newest``, the newest entry. Entries a
    little older that are not there yet (open transactions) are gaps, looked for as usual."""
    settled = timezone.now() - timedelta(seconds=GAP_SECONDS)
    floor = LogEntry.objects.filter(at__lt=settled).aggregate(floor=Max("id"))["floor"] or 0
    floor = max(floor, newest - MAX_GAPS)
    present = set(LogEntry.objects.filter(id__gt=floor).values_list("id", flat=True))
    gaps = {key: now for key in range(floor + 1, newest) if key not in present}
    result = _rebuild([ALL])
    Cursor(newest, gaps, now).save(root)
    return Step([ALL], result)


def _rebuild(targets: list[str], newer=lambda: False):
    from .tasks import rebuild_here

    return rebuild_here(targets, newer=newer)


def _recent(gaps: dict[int, float], now: float) -> dict[int, float]:
    kept = {key: first for key, first in gaps.items() if now - first < GAP_SECONDS}
    return dict(sorted(kept.items())[-MAX_GAPS:])


def _wait_for_entry(stop: threading.Event, after: int, poll: float) -> None:
    deadline = time.monotonic() + RETRY_SECONDS
    while time.monotonic() < deadline and not stop.wait(poll):
        if LogEntry.objects.filter(id__gt=after).exists():
            return


def prune(now=None) -> int:
    """Forget entries older than a day, but the newest: a follower whose cursor is past the
    newest entry takes it for another database's and rebuilds whole. How many were removed."""
    newest = LogEntry.objects.aggregate(newest=Max("id"))["newest"]
    cutoff = (now or timezone.now()) - KEEP_LOG
    return LogEntry.objects.filter(at__lt=cutoff).exclude(id=newest).delete()[0]


def follow(stop: threading.Event, *, poll: float = POLL_SECONDS) -> None:
    """Step until ``stop`` is set: every ``poll`` seconds, RETRY_SECONDS after a failure."""
    pruned = 0.0
    while not stop.is_set():
        close_old_connections()
        delay = poll
        try:
            done = step()
            if done is not None:
                logger.info("Published site followed (%s)", ", ".join(sorted(done.targets))[:200])
                if done.wait_after is not None:
                    _wait_for_entry(stop, done.wait_after, poll)
            if time.monotonic() - pruned > PRUNE_EVERY_SECONDS:
                prune()
                pruned = time.monotonic()
        except Exception:
            logger.exception(
                "Following the published site failed; trying again in %g s", RETRY_SECONDS
            )
            connections.close_all()  # a database that went away: connect afresh next time
            delay = RETRY_SECONDS
        stop.wait(delay)
