"""The photo that stands for an essay: its cover, else its first photo; kept among its photos."""

import pytest
from benchmarks.essay_fixture import build_essay

from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db  # a new Story reads its defaults from the site settings


def test_the_cover_stands_for_the_essay_else_the_first_photo():
    story = Story(cover_id=17)
    items = [StoryItem(pk=1, photo_id=31), StoryItem(pk=2, photo_id=17)]
    assert story.cover_item(items).pk == 2
    assert Story(cover_id=99).cover_item(items).pk == 1
    assert Story(cover_id=None).cover_item(items).pk == 1
    assert story.cover_item([]) is None
    # Feeds describe their photos as dicts.
    photos = [{"photo_id": 31}, {"photo_id": 17}]
    assert story.cover_item(photos, photo_id=lambda p: p["photo_id"]) == {"photo_id": 17}


def test_a_cover_that_leaves_the_essay_gives_way_to_its_first_photo():
    story = build_essay(photos=3, comments=0)
    first, second, third = [item.photo_id for item in story.items.photos()]
    story.items.filter(photo_id=second).delete()
    story.keep_cover()  # the cover (the first photo) is still there
    assert Story.objects.get(pk=story.pk).cover_id == first
    story.items.filter(photo_id=first).delete()
    story.keep_cover()
    assert Story.objects.get(pk=story.pk).cover_id == third
    story.items.all().delete()
    story.keep_cover()
    assert Story.objects.get(pk=story.pk).cover_id is None
