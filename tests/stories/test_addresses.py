"""Old addresses: a renamed essay's old links answer 301 to the new ones; a withdrawn or deleted
essay's answer 410 Gone; the published site hears which paths no longer exist."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.stories import publishing
from filmstrip.stories.models import OldSlug, Story, StoryItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def essay(staff, small_photo):
    story = Story.objects.create(title="River walk", slug="river-walk", author=staff)
    StoryItem.objects.create(story=story, photo=small_photo(), alt_text="A cactus")
    return publishing.publish(story)


def rename(client, staff, story, slug):
    client.force_login(staff)
    published_at = timezone.localtime(story.published_at)
    form = {
        "title": story.title,
        "slug": slug,
        "status": story.status,
        "published_at_0": published_at.strftime("%Y-%m-%d"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        "intro": story.intro,
        "licence": story.licence,
        "initial-licence": story.licence,
        "author": staff.pk,
        "comments_open": "on",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/stories/story/{story.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    story.refresh_from_db()


def test_a_renamed_essay_sends_its_old_links_on(client, staff, essay, announced):
    photo_id = essay.items.get().photo_id
    rename(client, staff, essay, "walking-the-river")
    response = client.get("/river-walk/")
    assert response.status_code == 301 and response["Location"] == "/walking-the-river/"
    response = client.get(f"/river-walk/photos/{photo_id}/")
    assert response.status_code == 301
    assert response["Location"] == f"/walking-the-river/photos/{photo_id}/"
    assert client.get("/walking-the-river/").status_code == 200
    assert len(announced) == 1
    assert announced[0]["story"].pk == essay.pk
    assert announced[0]["old_paths"] == [
        "/river-walk/",
        f"/river-walk/photos/{photo_id}/",
        "/river-walk/comments/feed/",
    ]
    # Renamed again, and back: every old address leads to where the essay is now.
    rename(client, staff, essay, "the-river")
    assert client.get("/river-walk/")["Location"] == "/the-river/"
    rename(client, staff, essay, "river-walk")
    assert client.get("/river-walk/").status_code == 200
    assert client.get("/the-river/")["Location"] == "/river-walk/"
    assert not OldSlug.objects.filter(slug="river-walk").exists()


def test_an_unpublished_essays_addresses_answer_410(client, staff, essay):
    photo_id = essay.items.get().photo_id
    rename(client, staff, essay, "walking-the-river")
    publishing.unpublish(essay)
    for path in ["/walking-the-river/", "/river-walk/", f"/river-walk/photos/{photo_id}/"]:
        response = client.get(path)
        assert response.status_code == 410, path
        heading = BeautifulSoup(response.content, "html.parser").h1.get_text()
        assert heading == "No longer published"
    client.force_login(staff)  # its author still sees the draft
    assert client.get("/walking-the-river/").status_code == 200


def test_a_deleted_essays_address_answers_410(client, staff, essay, announced):
    photo_id = essay.items.get().photo_id
    client.force_login(staff)
    response = client.post(f"/admin/stories/story/{essay.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.logout()
    assert client.get("/river-walk/").status_code == 410
    assert client.get(f"/river-walk/photos/{photo_id}/").status_code == 410
    assert announced == [
        {
            "story": None,
            "old_paths": [
                "/river-walk/",
                f"/river-walk/photos/{photo_id}/",
                "/river-walk/comments/feed/",
            ],
            "whole_site": False,
        }
    ]
    # A new essay may take the address again.
    publishing.publish(Story.objects.create(title="River walk", slug="river-walk"))
    assert client.get("/river-walk/").status_code == 200


def test_addresses_never_published_stay_404(client, staff):
    draft = Story.objects.create(title="Not yet", slug="not-yet")
    assert client.get("/not-yet/").status_code == 404
    draft.slug = "still-not"
    draft.save()
    assert client.get("/nowhere/").status_code == 404
    publishing.delete(draft)
    assert client.get("/still-not/").status_code == 404
    assert not OldSlug.objects.exists()
