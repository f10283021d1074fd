"""The essay's own facts in the editor: its excerpt, address, tags, and deleting it."""

import pytest
from bs4 import BeautifulSoup

from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author, intro="A walk in the *hills*.")


def test_the_excerpt_is_written_in_the_editor_and_describes_the_page(client, story):
    editor = BeautifulSoup(client.get(f"/studio/{story.pk}/").content, "html.parser")
    assert editor.select_one('textarea[name="excerpt"]') is not None
    sent = {"excerpt": "Three days on the ridge & back."}
    client.post(f"/studio/{story.pk}/save", sent, content_type="application/json")
    story.refresh_from_db()
    assert story.excerpt == "Three days on the ridge & back."
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert page.select_one('meta[name="description"]')["content"] == sent["excerpt"]
    assert page.select_one('meta[property="og:description"]')["content"] == sent["excerpt"]
