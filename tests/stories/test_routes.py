import pytest
from django.urls import reverse

from filmstrip.stories import routes
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db  # a new essay's defaults are the site settings' (a row)


@pytest.mark.parametrize("slug", ["walk", "2147483647", "a-2147483647-b", "ünïcode"])
@pytest.mark.parametrize("photo_id", [1, 42, 2147483647])
def test_addresses_by_id_are_what_reverse_gives(slug, photo_id):
    story = Story(slug=slug)
    kwargs = {"slug": slug, "photo_id": photo_id}
    assert routes.photo_path(story, photo_id) == reverse("stories:photo", kwargs=kwargs)
    assert routes.original_path(story, photo_id) == reverse("stories:original", kwargs=kwargs)
    assert routes.story_path(story) == reverse("stories:detail", kwargs={"slug": slug})


def test_a_renamed_essay_gets_its_new_addresses():
    story = Story(slug="before")
    assert routes.photo_path(story, 3) == "/before/photos/3/"
    assert routes.story_path(story) == "/before/"
    story.slug = "after"
    assert routes.photo_path(story, 3) == "/after/photos/3/"
    assert routes.story_path(story) == "/after/"
