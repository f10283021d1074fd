"""Telling a CDN which public addresses changed, so that it stops serving the old pages.

After each rebuild the changed paths are kept in the database (PendingPurge), then a job POSTs
them as JSON to FILMSTRIP_PURGE_URL. The CDN being down never holds up publishing: the paths
stay, the failure is logged, and the job tries again a little later (and after the next
rebuild). Renditions need no purge: a changed photo gets new file names.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from filmstrip.conf import filmstrip_settings
from filmstrip.siteurl import absolute

from .models import PendingPurge

logger = logging.getLogger("filmstrip.published")

RETRY_AFTER_SECONDS = 60
TIMEOUT_SECONDS = 10
BATCH = 500  # paths per request: a whole-site rebuild may change thousands


def changed(paths) -> None:
    """Remember ``paths`` for the CDN and queue the job that tells it (when one is set)."""
    if not filmstrip_settings.PURGE_URL or not paths:
        return
    now = timezone.now()
    rows = [PendingPurge(path=path, asked_at=now) for path in dict.fromkeys(paths)]
    PendingPurge.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["path"], update_fields=["asked_at"]
    )
    transaction.on_commit(queue)


def queue(*, run_after=None) -> None:
    """Queue the job unless one is already waiting to start."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=send_purges.module_path)
    if run_after is None and waiting.exists():
        return
    send_purges.using(run_after=run_after).enqueue() if run_after else send_purges.enqueue()


@task()
def send_purges() -> int:
    """Tell the CDN of every waiting path; on a failure, try again later. How many were told."""
    told = 0
    try:
        while sent := send_batch():
            told += sent
    except OSError as error:  # URLError, HTTPError and timeouts are all OSErrors
        logger.warning(
            "Could not tell %s which pages changed (%s); trying again in %s s",
            filmstrip_settings.PURGE_URL,
            error,
            RETRY_AFTER_SECONDS,
        )
        queue(run_after=timezone.now() + timedelta(seconds=RETRY_AFTER_SECONDS))
    return told


def send_batch() -> int:
    """POST up to BATCH waiting paths; forget those the CDN acknowledged (a 2xx answer). A path
    changed again while the request was out stays for the next one."""
    url = filmstrip_settings.PURGE_URL
    if not url:
        return 0
    if not url.startswith(("https://", "http://")):
        raise OSError("FILMSTRIP_PURGE_URL must be an http(s) URL")
    started = timezone.now()
    paths = list(PendingPurge.objects.order_by("path").values_list("path", flat=True)[:BATCH])
    if not paths:
        return 0
    body = json.dumps({"paths": paths, "urls": [absolute(path) for path in paths]}).encode()
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=body,
        headers={"Content-Type": "application/json", "User-Agent": "Filmstrip"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read(1024)
    PendingPurge.objects.filter(path__in=paths, asked_at__lte=started).delete()
    return len(paths)
