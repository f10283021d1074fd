"""stories.page: an essay's photos numbered once, and each shown photo described once."""

import pytest
from benchmarks.essay_fixture import build_essay

from filmstrip.stories.models import StoryItem
from filmstrip.stories.page import PagePhoto, numbered, photo_label

# What the essay view once stuck onto StoryItem instances for its templates to read.
PAGE_ATTRIBUTES = {
    "number", "path", "eager", "priority", "offers_original", "original_path", "large", "facts",
    "figure",
}  # fmt: skip


def test_photos_are_numbered_in_order_and_passages_do_not_count():
    items = [
        StoryItem(pk=1, kind="photo", photo_id=31),
        StoryItem(pk=2, kind="text"),
        StoryItem(pk=3, kind="photo", photo_id=17),
    ]
    assert [(n, item.pk) for n, item in numbered(items)] == [(1, 1), (2, 3)]
    assert photo_label(2) == "Photo 2"


@pytest.mark.django_db
def test_the_essay_page_describes_its_photos_without_touching_the_rows(client):
    story = build_essay(photos=12, comments=0)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    rows = [item for item, _ in response.context["items"]]
    assert len(rows) == 13  # twelve photos and the passage after the tenth
    for item in rows:
        assert not PAGE_ATTRIBUTES & vars(item).keys(), item
    figures = [figure for _, figure in response.context["items"] if figure]
    assert len(figures) == 12
    assert '">Photo 11</a>' in figures[10]  # the passage is not counted
    assert 'fetchpriority="high"' in figures[0] and 'loading="lazy"' in figures[1]


@pytest.mark.django_db
def test_the_photo_page_has_its_photo_number_and_neighbours(client):
    story = build_essay(photos=12, comments=0)
    ids = [item.photo_id for item in story.items.all() if item.photo_id]
    response = client.get(f"{story.get_absolute_url()}photos/{ids[10]}/")
    shown = response.context["page_photo"]
    assert isinstance(shown, PagePhoto)
    assert (shown.number, shown.label) == (11, "Photo 11")
    assert shown.eager and shown.priority
    assert ("Camera", "FUJIFILM X-T5") in shown.facts
    assert not PAGE_ATTRIBUTES & vars(response.context["item"]).keys()
    page = response.content.decode()
    assert "<h1>Photo 11 of 12</h1>" in page
    assert f'<a rel="prev" href="/{story.slug}/photos/{ids[9]}/">' in page
    assert f'<a rel="next" href="/{story.slug}/photos/{ids[11]}/">' in page
