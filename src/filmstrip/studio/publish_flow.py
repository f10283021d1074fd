"""What the editor tells an author around publishing: the photos still without alt text, the
moment a schedule means in the author's own zone, and when readers will see "Updated"."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.dateformat import format as format_date

from filmstrip.stories.models import Story

from .models import uploaded_as


@dataclass(frozen=True)
class Unlabelled:
    """A photo of the essay without alt text, as the editor names it and links to it."""

    id: int
    number: int  # its place among the essay's photos, from 1
    name: str


def missing_alt(story: Story) -> list[Unlabelled]:
    """The essay's photos without alt text, in order: named before it is published."""
    photos = story.items.photos().select_related("photo", "uploaded_name")
    return [
        Unlabelled(item.pk, number, uploaded_as(item) or f"Photo {number}")
        for number, item in enumerate(photos, start=1)
        if item.lacks_alt_text
    ]


def author_zone(name: str):
    """The zone the author's browser is in (an IANA name it sent), else the site's."""
    try:
        return ZoneInfo(name) if name else timezone.get_current_timezone()
    except (ZoneInfoNotFoundError, ValueError):  # unknown, or a path-like name
        return timezone.get_current_timezone()


def read_moment(text: str, zone_name: str = "") -> datetime:
    """The moment a date-and-time field (``2030-01-01T10:00``) means, read in the author's
    zone; an explicit offset is kept. ValueError when it is no date and time."""
    moment = datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=author_zone(zone_name))
    return moment


def spoken(moment: datetime, zone_name: str = "") -> str:
    """``moment`` as the author reads it: "Monday 1 January 2030, 10:00 (Europe/Berlin)"."""
    zone = author_zone(zone_name)
    return f"{format_date(moment.astimezone(zone), 'l j F Y, H:i')} ({zone})"


def updated_hint(story: Story) -> str:
    """When readers will see "Updated" and the change note, in words, for the editor."""
    if not story.is_published:
        return (
            "Once the essay is published, a change made on a later day than the publication "
            "shows “Updated” with the date, and this note beside it."
        )
    if story.shows_updated:
        assert story.updated_at is not None  # shows_updated needs both dates
        when = format_date(timezone.localtime(story.updated_at), "F j, Y")
        return f"Readers see “Updated {when}” and this note beside it."
    assert story.published_at is not None  # a published essay has its moment
    day = timezone.localdate(story.published_at)
    return (
        f"Published {format_date(day, 'F j, Y')}: changes made that day show no “Updated”. "
        f"From {format_date(day + timedelta(days=1), 'F j')} on, a change shows “Updated” "
        "with its date, and this note beside it."
    )
