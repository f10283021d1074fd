"""Putting photos into an essay: the one way both the folder importer and the studio do it.

A photo joins an essay once, in capture-time order among the essay's photos, with its caption
and alt text taken from the file's own description where a person wrote one (never a camera's
default: filmstrip.imaging.captions).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from filmstrip.photos.models import Photo

from .models import Story, StoryItem


def capture_order(photo: Photo, file_name: str) -> tuple:
    """Photos with a capture time first, oldest first; then the rest by file name."""
    return (photo.captured_at is None, photo.captured_at or datetime.min, file_name)


def place_photo(story: Story, photo: Photo) -> StoryItem | None:
    """Add ``photo`` to ``story`` where its capture time puts it; None if it is already there.

    It goes before the first photo taken later than it; a photo without a capture time, or
    taken after all the others, goes at the end.
    """
    with transaction.atomic():
        Story.objects.select_for_update().filter(pk=story.pk).first()  # one placer at a time
        if story.items.filter(photo=photo).exists():
            return None
        later = None
        if photo.captured_at is not None:
            later = (
                story.items.photos()
                .filter(photo__captured_at__gt=photo.captured_at)
                .order_by("position", "pk")
                .first()
            )
        if later is None:
            position = story.next_position()
        else:
            position = later.position
            story.items.filter(position__gte=position).update(position=F("position") + 1)
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
