"""The history of a published essay: who changed what and when, and going back to it.

A revision is a snapshot of everything readers see of an essay. Autosave sends many small
changes; those one author makes within a few minutes count as one revision.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from filmstrip.photos.models import Photo

from .grouping import settle
from .models import Revision, Story, StoryItem

COALESCE = timedelta(minutes=10)
# How the page is laid out, with what a snapshot from before it was kept stands for.
LOOK = {"cover_header": False, "mood": "paper"}
ITEM_LOOK = {"layout": "wide", "group_with_next": False, "group_caption": ""}
FIELDS = ("title", "intro", "excerpt", "licence", "licence_url", "change_note")
LABELS = {
    "title": "Title",
    "intro": "Intro",
    "excerpt": "Excerpt",
    "licence": "Licence",
    "licence_url": "Licence URL",
}


def snapshot(story: Story) -> dict:
    items = [
        {
            "kind": item.kind,
            "photo": item.photo_id,
            "caption": item.caption,
            "alt": item.alt_text,
            "licence_url": item.licence_url,
            "body": item.body,
            "layout": item.layout,
            "group_with_next": item.group_with_next,
            "group_caption": item.group_caption,
        }
        for item in story.items.all()
    ]
    state = {field: getattr(story, field) for field in FIELDS}
    look = {"cover_header": story.cover_header, "mood": story.mood}
    return {**state, **look, "cover": story.cover_id, "items": items}


def _layout(item: dict) -> tuple:
    return tuple(item.get(f, default) for f, default in ITEM_LOOK.items())


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(before: dict | None, after: dict) -> list[str]:
    """What changed from ``before`` to ``after``, in the author's words."""
    if before is None:
        return ["Published"]
    changes = []
    # .get: snapshots taken before the excerpt was kept have none
    changes += [f"{label} changed" for f, label in LABELS.items() if before.get(f) != after[f]]
    if before["change_note"] != after["change_note"] and after["change_note"]:
        changes.append(f"Change note: “{after['change_note']}”")
    old_photos = {i["photo"]: i for i in before["items"] if i["photo"]}
    new_photos = {i["photo"]: i for i in after["items"] if i["photo"]}
    if added := len(new_photos.keys() - old_photos.keys()):
        changes.append(f"Added {_count(added, 'photo')}")
    if removed := len(old_photos.keys() - new_photos.keys()):
        changes.append(f"Removed {_count(removed, 'photo')}")
    kept = old_photos.keys() & new_photos.keys()
    if captions := sum(old_photos[p]["caption"] != new_photos[p]["caption"] for p in kept):
        changes.append(f"Edited {_count(captions, 'caption')}")
    if alts := sum(old_photos[p]["alt"] != new_photos[p]["alt"] for p in kept):
        changes.append(f"Edited the alt text of {_count(alts, 'photo')}")
    licences = sum(
        old_photos[p].get("licence_url", "") != new_photos[p].get("licence_url", "") for p in kept
    )
    if licences:
        changes.append(f"Changed the licence of {_count(licences, 'photo')}")
    if before.get("cover") != after.get("cover"):
        changes.append("New cover")
    # (snapshots taken before layouts were kept have none: they were all wide singles)
    if any(before.get(f, default) != after[f] for f, default in LOOK.items()):
        changes.append("The page's look changed")
    if layouts := sum(_layout(old_photos[p]) != _layout(new_photos[p]) for p in kept):
        changes.append(f"Changed the layout of {_count(layouts, 'photo')}")
    old_texts = [i["body"] for i in before["items"] if not i["photo"]]
    new_texts = [i["body"] for i in after["items"] if not i["photo"]]
    if old_texts != new_texts:
        changes.append("Text passages changed")
    old_order = [p for p in (i["photo"] for i in before["items"]) if p in kept]
    new_order = [p for p in (i["photo"] for i in after["items"]) if p in kept]
    if old_order != new_order:
        changes.append("Photos reordered")
    return changes or ["No visible change"]


def record(story: Story, user=None, now=None, *, new: bool = False) -> Revision | None:
    """Note the published essay's present state, if readers can see a difference.

    ``new`` starts a revision of its own even within an editing sitting (a restore must never
    overwrite the revision it undoes).
    """
    if not story.is_published:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        Story.objects.select_for_update().filter(pk=story.pk).first()  # one recorder at a time
        state = snapshot(story)
        latest = story.revisions.order_by("-created_at", "-pk").first()
        if latest is not None and latest.snapshot == state:
            return None
        same_sitting = (
            not new
            and latest is not None
            and latest.author_id == getattr(user, "pk", None)
            and now - latest.updated_at < COALESCE
            and latest.summary != ["Published"]
        )
        if same_sitting and latest is not None:
            before = story.revisions.exclude(pk=latest.pk).order_by("-created_at", "-pk").first()
            latest.snapshot = state
            latest.summary = describe(before.snapshot if before else None, state)
            latest.updated_at = now
            latest.save()
            return latest
        return Revision.objects.create(
            story=story,
            author=user if getattr(user, "pk", None) else None,
            snapshot=state,
            summary=describe(latest.snapshot if latest else None, state),
            created_at=now,
            updated_at=now,
        )


def photos_gone(revision: Revision) -> int:
    """How many photos of ``revision`` no longer exist: a photo that left its last essay was
    deleted, files and all (photos.removal), so restoring cannot bring it back."""
    wanted = {i["photo"] for i in revision.snapshot["items"] if i["photo"]}
    return len(wanted) - Photo.objects.filter(pk__in=wanted).count()


def put_back(revision: Revision) -> Story:
    """Put the essay's content back as it was in ``revision`` (photos deleted since are left
    out). Only the content: publishing.restore records and announces it."""
    story = revision.story
    state = revision.snapshot
    with transaction.atomic():
        for field in FIELDS:
            setattr(story, field, state.get(field, ""))
        for field, default in LOOK.items():
            setattr(story, field, state.get(field, default))
        cover = state.get("cover")
        story.cover_id = cover if Photo.objects.filter(pk=cover).exists() else story.cover_id
        story.save(update_fields=[*FIELDS, *LOOK, "cover", "modified_at"])
        story.items.all().delete()
        wanted = [i["photo"] for i in state["items"] if i["photo"]]
        existing = set(Photo.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        position = 0
        for item in state["items"]:
            if item["photo"] and item["photo"] not in existing:
                continue
            StoryItem.objects.create(
                story=story,
                position=position,
                kind=StoryItem.Kind.PHOTO if item["photo"] else StoryItem.Kind.TEXT,
                photo_id=item["photo"],
                caption=item["caption"],
                alt_text=item["alt"],
                licence_url=item.get("licence_url", ""),
                body=item["body"],
                **{field: item.get(field, default) for field, default in ITEM_LOOK.items()},
            )
            position += 1
        story.keep_cover()
        settle(story)  # a group whose photos are gone since
    return story
