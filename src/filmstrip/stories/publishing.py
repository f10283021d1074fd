"""Publishing: the one home for making essays public, changing them and taking them down.

Every way an essay is published, scheduled, edited, renamed, unpublished or deleted (the studio,
the admin, the importers, the demo, the scheduler) and every change readers see beside it (a
photo finished, comments and links back moderated, tags, an author's name) goes through these
functions. They keep what follows from it (the "Published" revision, the "Updated" date, old
addresses, the links to send) and announce ``public_changed`` once per action, so that the
published site is rebuilt.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import revisions
from .models import OldSlug, Revision, Story
from .signals import public_changed, story_changed


def announce(story: Story | None = None, *, old_paths: Iterable[str] = (), whole_site=False):
    """Tell the published site what readers may now see differently (signals.public_changed)."""
    public_changed.send(sender=Story, story=story, old_paths=list(old_paths), whole_site=whole_site)


def essay_paths(slug: str, photo_ids: Iterable[int]) -> list[str]:
    """The addresses of an essay's public documents: its page, photo pages and comment feed."""
    return [
        reverse("stories:detail", kwargs={"slug": slug}),
        *(reverse("stories:photo", kwargs={"slug": slug, "photo_id": pk}) for pk in photo_ids),
        reverse("syndication:comment_feed", kwargs={"slug": slug}),
    ]


def tag_paths(slug: str) -> list[str]:
    """A tag's page and its feeds."""
    feeds = (f"syndication:tag_feed_{kind}" for kind in ("rss", "atom", "json"))
    return [reverse(name, kwargs={"slug": slug}) for name in ("stories:tag", *feeds)]


def _photo_ids(story: Story) -> list[int]:
    return list(story.items.photos().values_list("photo_id", flat=True))


def _all_paths(story: Story) -> list[str]:
    return essay_paths(story.slug, _photo_ids(story))


# --- an essay's own life -----------------------------------------------------------------------


def publish(
    story: Story, *, user=None, when: datetime | None = None, quietly: bool = False
) -> Story:
    """Make ``story`` public at ``when`` (a moment to come schedules it), else now. Without
    ``when``, an essay published before keeps its first date; a scheduled one is brought
    forward to now. ``quietly``: tell none of the pages it links to (an import: the old site
    told them when the post was new)."""
    was_public = story.is_published
    if when is None and (story.published_at is None or story.published_at > timezone.now()):
        when = timezone.now()
    story.status = Story.Status.PUBLISHED
    story.published_at = when or story.published_at
    story.save()
    _published(story, user, was_public, quietly=quietly)
    return story


def schedule(story: Story, when: datetime, *, user=None) -> Story:
    """Publish ``story`` at ``when``: a job makes it public on its own then (see ``arrive``)."""
    return publish(story, user=user, when=when)


def _published(
    story: Story, user, was_public: bool, old_paths: Iterable[str] = (), quietly: bool = False
) -> None:
    """``story`` has just been saved as published, for now or for later."""
    if not quietly:
        story_changed.send(sender=Story, story=story)  # its links are sent now, or at its time
    old_paths = list(old_paths)
    if story.is_published:
        revisions.record(story, user)  # "Published", the first time
        announce(story, old_paths=old_paths)
        return
    _queue_arrival(story)
    if was_public:  # moved to a moment to come: gone until then
        old_paths += _all_paths(story)
    if old_paths:
        announce(story, old_paths=old_paths)


def _queue_arrival(story: Story, waiting: dict[int, list[datetime]] | None = None) -> bool:
    """Queue ``publish_when_due`` for the essay's moment, unless one waits for it already
    (``waiting``: _waiting_moments(), when the caller has read it for many essays)."""
    from .tasks import publish_when_due  # tasks call back into this module

    when = story.published_at
    assert when is not None  # only a published essay with its moment to come waits for it
    moments = (_waiting_moments() if waiting is None else waiting).get(story.pk, [])
    if any(_same_moment(when, moment) for moment in moments):
        return False
    job = publish_when_due.using(run_after=when)
    job.enqueue(story.pk, when.isoformat())
    return True


def _waiting_moments() -> dict[int, list[datetime]]:
    """The moments queued arrival jobs wait for, by essay."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import publish_when_due

    rows = DBTaskResult.objects.filter(
        task_path=publish_when_due.module_path, status=TaskResultStatus.READY
    )
    waiting: dict[int, list[datetime]] = {}
    for data in rows.values_list("args_kwargs", flat=True):
        story_id, moment = data["args"]
        waiting.setdefault(story_id, []).append(datetime.fromisoformat(moment))
    return waiting


def queue_scheduled() -> int:
    """Queue the arrival job of each essay scheduled for later that has none waiting (scheduled
    by an earlier version, or its job lost); returns how many were queued. Run at worker start."""
    later = Story.objects.filter(status=Story.Status.PUBLISHED, published_at__gt=timezone.now())
    waiting = _waiting_moments()  # read once, not once per essay
    return sum(_queue_arrival(story, waiting) for story in later)


def arrive(story_id: int, moment: str) -> bool:
    """The moment a scheduled essay waited for has come: it is public now, so say so. A job
    queued for a moment the essay no longer has (rescheduled, unpublished, deleted) does
    nothing, as does one run early."""
    story = Story.objects.filter(pk=story_id).first()
    if story is None or not _same_moment(story.published_at, datetime.fromisoformat(moment)):
        return False
    if not story.is_published:
        return False
    revisions.record(story)
    announce(story)
    return True


def _same_moment(a: datetime | None, b: datetime | None) -> bool:
    """Equal to the second: forms (the admin's) drop the microseconds of a time they resave."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < timedelta(seconds=1)


def unpublish(story: Story) -> Story:
    """Take ``story`` down; its addresses answer 410 Gone until it is published again."""
    was_public = story.is_published
    story.status = Story.Status.DRAFT
    story.save(update_fields=["status", "modified_at"])
    if was_public:
        announce(story, old_paths=_all_paths(story))
    return story


def changed(
    story: Story,
    *,
    user=None,
    when: datetime | None = None,
    old_paths: Iterable[str] = (),
    quietly: bool = False,
) -> Revision | None:
    """Readers can see a change to published ``story``: it says "Updated", its history gains
    (or extends) a revision, its links are sent again and its pages are rebuilt. A draft's or a
    scheduled essay's changes are nobody's business yet. ``quietly`` as for ``publish``."""
    if not story.is_published:
        if old_paths:
            announce(story, old_paths=old_paths)
        return None
    _touch(story, when, quietly)
    before = story.revisions.order_by("-created_at", "-pk").first()
    revision = revisions.record(story, user)
    announce(story, old_paths=[*old_paths, *_dropped_photo_pages(story, before)])
    return revision


def _touch(story: Story, when: datetime | None = None, quietly: bool = False) -> None:
    """The essay says "Updated" and sends its links again (backlinks hear story_changed)."""
    story.updated_at = when or timezone.now()
    Story.objects.filter(pk=story.pk).update(updated_at=story.updated_at)
    if not quietly:
        story_changed.send(sender=Story, story=story)


def _dropped_photo_pages(story: Story, before: Revision | None) -> list[str]:
    """The pages of photos readers saw in ``before`` that the essay no longer shows."""
    if before is None:
        return []
    shown = set(_photo_ids(story))
    gone = [i["photo"] for i in before.snapshot["items"] if i["photo"] and i["photo"] not in shown]
    return [reverse("stories:photo", kwargs={"slug": story.slug, "photo_id": pk}) for pk in gone]


def restore(revision: Revision, user=None) -> Story:
    """Put the essay back as it was in ``revision``, as a revision of its own."""
    with transaction.atomic():
        before = revision.story.revisions.order_by("-created_at", "-pk").first()
        story = revisions.put_back(revision)
        if not story.is_published:
            return story
        _touch(story)
        restored = revisions.record(story, user, new=True)
        if restored is not None:
            when = timezone.localtime(revision.created_at).strftime("%d %B %Y, %H:%M")
            restored.summary = [f"Restored the version of {when}", *restored.summary]
            restored.save(update_fields=["summary"])
        announce(story, old_paths=_dropped_photo_pages(story, before))
    return story


@dataclass(frozen=True)
class Seen:
    """What readers could see of an essay before an edit: where it was and whether public."""

    slug: str
    status: str
    published_at: datetime | None
    public: bool


def seen(story_id) -> Seen | None:
    """The essay ``story_id`` as stored now, to pass to ``saved`` after a form changes it."""
    story = Story.objects.filter(pk=story_id).first() if story_id else None
    if story is None:
        return None
    return Seen(story.slug, story.status, story.published_at, story.is_published)


def saved(story: Story, before: Seen | None, *, user=None, edited: bool = True) -> None:
    """A form that sets status, moment and address along with the rest (the admin's) saved
    ``story``, which was ``before``: do what each change means, announcing once.
    ``edited``: readers' content may have changed too."""
    was_public = bool(before and before.public)
    old_paths = _retire(story, before.slug, was_public) if before else []
    if story.status == Story.Status.PUBLISHED:
        moved = before is None or before.status != story.status or story.published_at is None
        if moved or (
            before is not None and not _same_moment(before.published_at, story.published_at)
        ):
            if story.published_at is None:
                story.published_at = timezone.now()
                story.save(update_fields=["published_at", "modified_at"])
            _published(story, user, was_public, old_paths)
        elif edited or old_paths:
            changed(story, user=user, old_paths=old_paths)
    elif was_public:
        announce(story, old_paths=[*old_paths, *_all_paths(story)])
    elif old_paths:
        announce(story, old_paths=old_paths)


def _retire(story: Story, old_slug: str, was_public: bool) -> list[str]:
    """``story`` moved from ``old_slug``: if readers knew that address, keep it leading here;
    returns the paths that no longer exist."""
    if old_slug == story.slug:
        return []
    OldSlug.objects.filter(slug=story.slug).delete()  # an address taken back
    if not (was_public or story.is_published or story.is_withdrawn):
        return []
    OldSlug.objects.update_or_create(
        slug=old_slug, defaults={"story": story, "retired_at": timezone.now()}
    )
    return essay_paths(old_slug, _photo_ids(story))


def delete(story: Story) -> None:
    """Delete ``story``; an address readers knew answers 410 Gone from now on."""
    known = story.is_published or story.is_withdrawn
    gone = _all_paths(story) if story.is_published else []
    with transaction.atomic():
        if known:
            OldSlug.objects.update_or_create(
                slug=story.slug, defaults={"story": None, "retired_at": timezone.now()}
            )
        story.delete()
        if gone:
            announce(None, old_paths=gone)  # the lists that showed it change too


# --- what readers see beside an essay ----------------------------------------------------------


def discussion_changed(story_ids: Iterable[int | None]) -> None:
    """Comments or links back readers see under these essays changed (approved, edited,
    removed): their pages and feeds are rebuilt, once per essay however many changed. No
    "Updated" date: the essay itself is as it was."""
    for story in Story.objects.published().filter(pk__in={pk for pk in story_ids if pk}):
        announce(story)


def photo_ready(sender, photo_id: int, **kwargs) -> None:
    """Receiver of ``photos.signals.photo_ready``: a photo got new renditions (processed for the
    first time or again), so the published essays showing it change."""
    for story in Story.objects.published().filter(items__photo_id=photo_id).distinct():
        announce(story)


def tags_changed(gone: Iterable[str] = ()) -> None:
    """Tags were renamed or deleted, leaving the addresses of slugs ``gone``: the essays, lists
    and feeds that name them change, and their old pages go."""
    announce(None, old_paths=[p for slug in gone for p in tag_paths(slug)], whole_site=True)


def site_changed() -> None:
    """The author's site settings that readers see (title, tagline, h-card, licence link,
    comment form) changed: every page shows them."""
    announce(None, whole_site=True)


def byline_changed(author) -> None:
    """``author``'s published name changed: every page that credits them does."""
    if Story.objects.published().filter(author=author).exists():
        announce(None, whole_site=True)
