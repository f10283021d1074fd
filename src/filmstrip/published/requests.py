"""Asking for a rebuild: a row per thing to render again, and at most one job waiting for them.

Recorded inside the transaction that made the change (a rolled-back change asks for nothing);
the job is queued once it commits, and only when none is waiting already: 50 comments approved
in one bulk action are 50 requests for the same essay, one row and one job. Each request is also
appended to the shared log, which every machine that serves the published files follows
(follow.py) to rebuild them on its own disk.
"""

from django.db import transaction
from django.db.models import F

from .models import LogEntry, PendingRebuild

ALL = "all"
SITE = "site"


def story_target(story_id: int) -> str:
    return f"story:{story_id}"


def path_target(url_path: str) -> str:
    return f"path:{url_path}"


def request_rebuild(*targets: str) -> None:
    targets = tuple(dict.fromkeys(targets))
    LogEntry.objects.bulk_create([LogEntry(target=target) for target in targets])
    for target in targets:
        if not PendingRebuild.objects.filter(target=target).update(version=F("version") + 1):
            PendingRebuild.objects.bulk_create(
                [PendingRebuild(target=target)], ignore_conflicts=True
            )
    transaction.on_commit(queue_job, robust=True)


def queue_job() -> None:
    from .tasks import queue

    queue()


def public_changed_received(sender, story=None, old_paths=(), whole_site=False, **kwargs):
    """Receiver of stories.signals.public_changed."""
    if whole_site:
        targets = [ALL]
    else:
        targets = [SITE] if story is None or story.pk is None else [story_target(story.pk)]
        # A deleted or renamed essay's old addresses: rendered again, they answer 404, 410 or
        # a redirect, and their files go.
        targets += [path_target(path) for path in old_paths or ()]
    request_rebuild(*targets)


def request_whole_site() -> None:
    """Rebuild everything (the directory is missing or another version's), unless asked
    already: asking again while it runs would only make it run twice."""
    if not PendingRebuild.objects.filter(target=ALL).exists():
        request_rebuild(ALL)


def ensure_current() -> bool:
    """At start-up: ask for a whole-site rebuild if the published directory is missing or was
    built by another version or with other settings. True when one was asked for."""
    from . import layout, stamp

    if stamp.is_current(layout.root()):
        return False
    with transaction.atomic():
        request_whole_site()
    return True
