"""Putting photos into an essay: the one way both the folder importer and the studio do it.

A photo joins an essay once, in capture-time order among the essay's photos, with its caption
and alt text taken from the file's own description where a person wrote one (never a camera's
default: filmstrip.imaging.captions).
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q

from filmstrip.photos.models import Photo

from .grouping import settle
from .models import Story, StoryItem


def capture_order(photo: Photo, file_name: str) -> tuple:
    """Photos with a capture time first, oldest first; then the rest by file name."""
    return (photo.captured_at is None, photo.captured_at or datetime.min, file_name)


def make_room(story: Story, before: Iterable[int]) -> int:
    """A position for one new item just before the first (in the essay's order) of the items
    ``before`` still in ``story``, the items from there on moved one place on; at the end when
    none is left. Called inside a transaction holding the essay (``_hold``)."""
    first = story.items.filter(pk__in=list(before)).order_by("position", "pk").first()
    if first is None:
        return story.next_position()
    # Ties in position are read in pk order, so those after ``first`` in that order move too.
    later = Q(position__gt=first.position) | Q(position=first.position, pk__gte=first.pk)
    story.items.filter(later).update(position=F("position") + 1)
    return first.position


def _hold(story: Story) -> None:
    Story.objects.select_for_update().filter(pk=story.pk).first()  # one placer at a time


def add_passage(story: Story, before: Iterable[int] = ()) -> StoryItem:
    """An empty text passage, just before the first of the items ``before``, else at the end."""
    with transaction.atomic():
        _hold(story)
        position = make_room(story, before)
        passage = StoryItem.objects.create(
            story=story, position=position, kind=StoryItem.Kind.TEXT, body=""
        )
        settle(story)  # a group it went into ends before it
    return passage


def place_photo(
    story: Story, photo: Photo, before: Iterable[int] | None = None
) -> StoryItem | None:
    """Add ``photo`` to ``story``; None if it is already there. With ``before`` (item numbers)
    it goes as ``make_room`` says; without, where its capture time puts it: before the first
    photo taken later than it, and a photo without a capture time, or taken after all the
    others, at the end.
    """
    with transaction.atomic():
        _hold(story)
        if story.items.filter(photo=photo).exists():
            return None
        if before is None:
            before = [] if photo.captured_at is None else _taken_later(story, photo)
        position = make_room(story, before)
        item = StoryItem.objects.create(
            story=story,
            position=position,
            kind=StoryItem.Kind.PHOTO,
            photo=photo,
            caption=photo.file_caption,
            alt_text=photo.file_alt_text,
        )
        if story.cover_id is None:
            story.cover = photo
            story.save(update_fields=["cover", "modified_at"])
    return item


def _taken_later(story: Story, photo: Photo) -> list[int]:
    """The first photo item taken later than ``photo``, if any."""
    later = (
        story.items.photos()
        .filter(photo__captured_at__gt=photo.captured_at)
        .order_by("position", "pk")
        .values_list("pk", flat=True)[:1]
    )
    return list(later)


def reorder(story: Story, item_ids: list[int]) -> None:
    """Put the essay's items in the order given, each named at most once.

    Items not named (photos that arrived while the author was reordering) keep their order
    after the named ones.
    """
    if len(set(item_ids)) != len(item_ids):
        raise ValueError("The new order names an item twice.")
    with transaction.atomic():
        current = list(story.items.select_for_update().values_list("pk", flat=True))
        if set(item_ids) - set(current):
            raise ValueError("The new order names an item that is not in this essay.")
        rest = [pk for pk in current if pk not in set(item_ids)]
        for position, pk in enumerate([*item_ids, *rest]):
            StoryItem.objects.filter(pk=pk, story=story).update(position=position)
        settle(story)  # a group a move broke, or ran across a passage, is undone
