"""Groups of photos: how an essay's items are read as rows, and what a grouping may be."""

import pytest
from django.db import IntegrityError, transaction

from filmstrip.photos.models import Photo
from filmstrip.stories import grouping
from filmstrip.stories.grouping import GroupRefused, grouped, rows, settle
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db


def essay(shape: str) -> tuple[Story, list[StoryItem]]:
    """An essay whose items are spelt by ``shape``: "p" a photo, "P" a photo grouped with the
    next item, "t" a text passage."""
    story = Story.objects.create(title="Rows")
    for n, letter in enumerate(shape):
        if letter == "t":
            StoryItem.objects.create(story=story, position=n, kind="text", body=f"Text {n}")
            continue
        photo = Photo.objects.create(
            original=f"originals/{n}.jpg", original_filename=f"{n}.jpg", checksum=f"{n:064}",
            size_bytes=1, format="jpeg", width=3000, height=2000,
        )  # fmt: skip
        StoryItem.objects.create(
            story=story, position=n, photo=photo, group_with_next=letter == "P"
        )
    return story, list(story.items.all())


def spelt(drawn: list[list[StoryItem]]) -> str:
    """Rows as "|"-separated runs of "p" (photo) and "t" (passage)."""
    return "|".join("".join("t" if i.kind == "text" else "p" for i in row) for row in drawn)


@pytest.mark.parametrize(
    "shape, drawn",
    [
        ("ppp", "p|p|p"),
        ("Ppp", "pp|p"),
        ("PPpPp", "ppp|pp"),
        ("PPPp", "pppp"),
        # Whatever is stored, never more than four in a row, never across a passage.
        ("PPPPPp", "pppp|pp"),
        ("Ptp", "p|t|p"),
        ("pP", "p|p"),  # a group of one is a single photo
    ],
)
def test_rows_read_groups_as_the_page_draws_them(shape, drawn):
    _, items = essay(shape)
    assert spelt(rows(items)) == drawn


def test_grouping_a_photo_with_the_next_photo():
    _, items = essay("ppp")
    assert grouped(items, items[0], True) is True
    assert grouped(items, items[0], False) is False


def test_a_group_of_one_is_saved_as_a_single_photo():
    _, items = essay("ppp")
    assert grouped(items, items[-1], True) is False


def test_a_group_across_a_text_passage_is_refused_with_a_reason():
    _, items = essay("ptp")
    with pytest.raises(GroupRefused, match="across a text passage"):
        grouped(items, items[0], True)


def test_a_passage_is_never_grouped():
    _, items = essay("tpp")
    with pytest.raises(GroupRefused, match="only photos"):
        grouped(items, items[0], True)


@pytest.mark.parametrize("shape, at", [("PPPpp", 3), ("pPPPp", 0), ("PpPPp", 1)])
def test_a_fifth_photo_in_a_group_is_refused(shape, at):
    _, items = essay(shape)
    with pytest.raises(GroupRefused, match="at most 4 photos; this one would hold 5"):
        grouped(items, items[at], True)


def test_four_photos_may_be_a_group():
    _, items = essay("PPpp")
    assert grouped(items, items[2], True) is True
    assert grouping.MAX_GROUP == 4


def test_settle_clears_what_a_move_left_pointing_nowhere():
    story, items = essay("PPtPPPPPp")
    # The first photo before a passage, the last of a full row: neither leads into a group.
    assert settle(story) == 2
    flags = "".join("P" if i.group_with_next else i.kind[0] for i in story.items.all())
    assert flags == "PptPPPpPp"
    assert spelt(rows(list(story.items.all()))) == "pp|t|pppp|pp"
    assert settle(story) == 0


def test_an_unknown_layout_never_reaches_the_database():
    _, items = essay("p")
    with pytest.raises(IntegrityError), transaction.atomic():
        StoryItem.objects.filter(pk=items[0].pk).update(layout="huge")
    story = items[0].story
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(mood="neon")


def test_a_group_caption_is_kept_as_sanitised_html():
    _, items = essay("Pp")
    items[0].group_caption = "Two *views* <script>x</script>"
    items[0].save()
    assert items[0].group_caption_html == "Two <em>views</em>"  # the script is dropped
