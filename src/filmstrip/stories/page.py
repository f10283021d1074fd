"""An essay's photos as its pages show them: numbered once, and each shown photo described once.

The number is the photo's place among the essay's photos (text passages do not count): "Photo 3"
on the essay page, the photo's own page, its credit line, the feeds and embeds alike.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from filmstrip.photos.facts import photo_facts
from filmstrip.photos.models import Rendition

from . import routes
from .models import StoryItem


def numbered(items: Iterable[StoryItem]) -> Iterator[tuple[int, StoryItem]]:
    """The photos among an essay's ``items`` (in the essay's order), each with its number."""
    return enumerate((item for item in items if item.photo_id), 1)


def photo_label(number: int) -> str:
    """What a photo is called by its place, where it has no title of its own."""
    return f"Photo {number}"


@dataclass(frozen=True, slots=True)
class PagePhoto:
    """One photo of an essay as a page shows it; ``item`` is the StoryItem, as read."""

    item: StoryItem
    number: int
    path: str  # the photo's own page
    original_path: str
    offers_original: bool
    large: Rendition | None  # what "view large" opens; None until the photo has renditions
    facts: list[tuple[str, str]]  # camera facts, where the essay shows them
    eager: bool  # loaded at once, not when scrolled to
    priority: bool  # fetched before the page's other images

    @property
    def label(self) -> str:
        return photo_label(self.number)


def page_photo(story, item: StoryItem, number: int, *, eager: bool, priority: bool) -> PagePhoto:
    """``item`` (its photo's renditions attached) as ``story``'s pages show it."""
    photo = item.photo
    assert photo is not None  # numbered() gives photo items only
    return PagePhoto(
        item=item,
        number=number,
        path=routes.photo_path(story, photo.pk),
        original_path=routes.original_path(story, photo.pk),
        offers_original=story.offers_original(photo),
        large=photo.largest("webp"),
        facts=photo_facts(photo) if story.show_photo_details else [],
        eager=eager,
        priority=priority,
    )
