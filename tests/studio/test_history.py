"""Revisions of a published essay: recorded from the studio, coalesced, described, restored."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.stories import revisions
from filmstrip.stories.models import Revision, Story, StoryItem
from tests.studio.conftest import FALCON, RIDGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(author, ready_photo, client):
    story = Story.objects.create(title="Harbour", author=author, intro="Boats.")
    StoryItem.objects.create(story=story, position=0, photo=ready_photo(FALCON), caption="One")
    StoryItem.objects.create(story=story, position=1, photo=ready_photo(RIDGE), caption="Two")
    client.post(f"/studio/{story.pk}/publish", {"anyway": "1"})  # no alt text yet
    story.refresh_from_db()
    return story


def save(client, story, **fields):
    return client.post(f"/studio/{story.pk}/save", fields, content_type="application/json")


def test_publishing_starts_the_history_and_drafts_have_none(client, author, published):
    assert [r.summary for r in published.revisions.all()] == [["Published"]]
    draft = Story.objects.create(title="Not yet", author=author)
    save(client, draft, intro="Still a draft")
    assert not draft.revisions.exists()


def test_an_editing_session_is_one_revision_saying_what_changed(client, published):
    save(client, published, intro="Boats at dawn.")
    item = published.items.first()
    client.post(
        f"/studio/items/{item.pk}/save",
        {"caption": "One, at dawn"},
        content_type="application/json",
    )
    client.post(
        f"/studio/items/{item.pk}/save", {"alt": "A falcon"}, content_type="application/json"
    )
    ids = list(published.items.values_list("pk", flat=True))
    client.post(
        f"/studio/{published.pk}/order", {"ids": ids[::-1]}, content_type="application/json"
    )
    latest, first = published.revisions.all()
    assert first.summary == ["Published"]
    assert latest.author.username == "ed"
    assert latest.summary == [
        "Intro changed",
        "Edited 1 caption",
        "Edited the alt text of 1 photo",
        "Photos reordered",
    ]


def test_a_later_sitting_makes_a_new_revision(client, published):
    save(client, published, intro="Boats at dawn.")
    Revision.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    save(client, published, title="Harbour lights")
    assert [r.summary for r in published.revisions.all()] == [
        ["Title changed"],
        ["Intro changed"],
        ["Published"],
    ]


def test_restoring_brings_back_text_photos_and_order(client, published):
    original = revisions.snapshot(published)
    first_revision = published.revisions.get()
    save(client, published, intro="Rewritten.", change_note="Rewrote the intro")
    removed = published.items.first()
    client.post(
        f"/studio/{published.pk}/delete", {"ids": [removed.pk]}, content_type="application/json"
    )
    history = BeautifulSoup(client.get(f"/studio/{published.pk}/history").content, "html.parser")
    assert "Removed 1 photo" in history.get_text()
    assert "Change note: “Rewrote the intro”" in history.get_text()
    client.post(f"/studio/{published.pk}/history/{first_revision.pk}/restore")
    published.refresh_from_db()
    assert revisions.snapshot(published) == original
    assert published.revisions.first().summary[0].startswith("Restored the version of")


def test_the_public_page_shows_the_change_note_beside_updated(client, published):
    Story.objects.filter(pk=published.pk).update(published_at=timezone.now() - timedelta(days=5))
    save(client, published, change_note="Added a photo from the finish line")
    page = BeautifulSoup(client.get(published.get_absolute_url()).content, "html.parser")
    dateline = page.select_one(".dateline").get_text()
    assert dateline.startswith("Updated ") and "Added a photo from the finish line" in dateline


def test_only_staff_see_or_restore_history(client, published):
    revision = published.revisions.get()
    client.logout()
    assert client.get(f"/studio/{published.pk}/history").status_code == 302
    client.force_login(User.objects.create_user("reader"))
    response = client.post(f"/studio/{published.pk}/history/{revision.pk}/restore")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_restoring_right_after_an_edit_keeps_that_edit_in_the_history(client, published):
    first = published.revisions.get()
    item = published.items.first()
    client.post(
        f"/studio/items/{item.pk}/save",
        {
            "caption": "Edited carefully",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        },
        content_type="application/json",
    )
    client.post(f"/studio/{published.pk}/history/{first.pk}/restore")
    restored, edited, _ = published.revisions.all()
    assert restored.summary[0].startswith("Restored the version of")
    assert edited.summary == ["Edited 1 caption", "Changed the licence of 1 photo"]
    captions = [i["caption"] for i in edited.snapshot["items"]]
    assert "Edited carefully" in captions, "the undone edit can itself be restored"
    client.post(f"/studio/{published.pk}/history/{edited.pk}/restore")
    item = published.items.first()
    assert item.caption == "Edited carefully" and item.licence_url.endswith("/by/4.0/")
