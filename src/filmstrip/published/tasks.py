"""The rebuild job: one at a time, for everything asked since the last one.

The worker marks a job that raised as failed and never runs it again, so a rebuild that fails
(Django could not render a page, the disk is full, the process died) leaves its requests in
place and queues a run for a little later itself.
"""

import fcntl
import logging
import os
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import follow, layout, purge
from .models import PendingRebuild

logger = logging.getLogger("filmstrip.published")

RETRY_AFTER = timedelta(seconds=10)
# Before photo processing in the queue: a reader waits for a new comment, nobody for a photo.
PRIORITY = 50
PHOTO_JOB = "filmstrip.photos.tasks.process_photo"


def queue(*, run_after=None) -> None:
    """Queue the rebuild job unless a run is already waiting to start."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=rebuild.module_path)
    if run_after is None and waiting.exists():
        return
    rebuild.using(run_after=run_after).enqueue() if run_after else rebuild.enqueue()


@task(priority=PRIORITY)
def rebuild() -> dict:
    try:
        result = run_pending()
    except Exception:
        logger.exception("Rebuilding the published site failed; trying again in a moment")
        queue(run_after=timezone.now() + RETRY_AFTER)
        raise
    return result.as_dict() if result else {}


def run_pending(*, everything=False, progress=None):
    """Rebuild what was asked for (everything: the whole site, which covers it all), and
    forget the requests it served; a request made again meanwhile stays for the next run."""
    from .requests import ALL

    requested = dict(PendingRebuild.objects.values_list("target", "version"))
    if not requested and not everything:
        return None

    def newer() -> bool:
        return dict(PendingRebuild.objects.values_list("target", "version")) != requested

    result = rebuild_here([ALL] if everything else list(requested), newer=newer, progress=progress)
    if result.interrupted:
        # A newer request's job (or the next processed photo's) runs these again too; this
        # one, a little later, makes sure of it.
        logger.info("Published site: photo pages left for a newer request")
        queue(run_after=timezone.now() + RETRY_AFTER)
        return result
    for target, version in requested.items():
        PendingRebuild.objects.filter(target=target, version=version).delete()
    follow.prune()  # the single box has no follower to do it
    logger.info("Published site rebuilt (%s)", ", ".join(sorted(requested))[:200] or "all")
    return result


def rebuild_here(targets, *, newer: Callable[[], bool], progress=None):
    """Rebuild ``targets`` in this machine's published directory, one rebuild at a time, then
    tell the CDN what changed here. Photo pages are left for later (``interrupted``) when
    ``newer()`` holds or photos wait to be processed. Every machine that writes the files
    tells the CDN after its own files are in place: the CDN may fetch a page again from any
    machine, so the last purge must follow the last write."""
    from .rebuild import rebuild

    with _exclusive():
        result = rebuild(targets, progress=progress, newer=lambda: newer() or _photos_waiting())
    purge.changed([*result.written, *result.removed])
    return result


def _photos_waiting() -> bool:
    """Photos wait to be processed: each one's renditions will ask for its essay again, so
    its photo pages are rendered once, after the last, rather than once per photo."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=PHOTO_JOB).exists()


class _exclusive:
    """One rebuild at a time on this machine: an older render never overwrites a newer one."""

    def __enter__(self):
        os.makedirs(layout.root(), exist_ok=True)
        self.handle = open(os.path.join(layout.root(), ".lock"), "a")  # noqa: SIM115
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        self.handle.close()
