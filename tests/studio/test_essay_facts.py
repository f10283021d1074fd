"""The essay's own facts in the editor: its excerpt, address, tags, and deleting it."""

import pytest
from bs4 import BeautifulSoup

from filmstrip.stories import publishing
from filmstrip.stories.models import Story
from filmstrip.stories.signals import public_changed

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


def messages_on(response) -> str:
    return BeautifulSoup(response.content, "html.parser").select_one(".messages").get_text()


def test_the_address_and_tags_are_set_in_the_editor(client, story):
    publishing.publish(story)
    data = {"slug": "hill-walk", "tags": "Dawn, walks,  dawn , ,Long   days"}
    response = client.post(f"/studio/{story.pk}/address", data, follow=True)
    assert "Address and tags saved." in messages_on(response)
    story.refresh_from_db()
    assert story.slug == "hill-walk"
    assert sorted(story.tags.values_list("name", flat=True)) == ["Dawn", "Long days", "walks"]
    old = client.get("/hills/")
    assert old.status_code == 301 and old["Location"].endswith("/hill-walk/")
    assert "Hills" in client.get("/tags/dawn/").content.decode()
    editor = BeautifulSoup(client.get(f"/studio/{story.pk}/").content, "html.parser")
    assert editor.select_one('input[name="tags"]')["value"] == "Dawn, Long days, walks"


@pytest.mark.parametrize(
    "slug, reason",
    [("studio", "an address the site uses itself"), ("taken", "Another essay has the address"),
     ("", "cannot be blank"), ("a/b", "Enter a valid")],
)  # fmt: skip
def test_an_address_that_cannot_be_had_is_refused_with_the_reason(client, story, slug, reason):
    Story.objects.create(title="Taken", slug="taken")
    response = client.post(f"/studio/{story.pk}/address", {"slug": slug}, follow=True)
    assert reason in messages_on(response)
    story.refresh_from_db()
    assert story.slug == "hills"


def test_a_tag_taken_off_rebuilds_the_tag_pages_that_listed_the_essay(client, story):
    publishing.publish(story)
    client.post(f"/studio/{story.pk}/address", {"slug": "hills", "tags": "Dawn, Rain"})
    heard = []
    public_changed.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="t-tags")
    try:
        client.post(f"/studio/{story.pk}/address", {"slug": "hills", "tags": "Dawn"})
    finally:
        public_changed.disconnect(dispatch_uid="t-tags")
    assert any("/tags/rain/" in kw["old_paths"] for kw in heard), heard
    assert any(kw["story"] is not None and kw["story"].pk == story.pk for kw in heard)


def test_deleting_an_essay_asks_first_then_its_address_is_gone(client, story):
    publishing.publish(story)
    kept = client.post(f"/studio/{story.pk}/delete-essay", follow=True)
    assert "Nothing was deleted" in messages_on(kept) and Story.objects.filter(pk=story.pk)
    response = client.post(f"/studio/{story.pk}/delete-essay", {"sure": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == "/studio/"
    assert "“Hills” was deleted. Readers who follow a link to it are told it is gone." in (
        messages_on(response)
    )
    assert not Story.objects.filter(pk=story.pk).exists()
    assert client.get("/hills/").status_code == 410


def test_the_excerpt_is_in_the_history_and_restored_with_it(client, story):
    publishing.publish(story)
    first = story.revisions.get()
    first.snapshot.pop("excerpt")  # as a revision taken before excerpts were kept
    first.save()
    client.post(f"/studio/{story.pk}/save", {"excerpt": "Ridges."}, content_type="application/json")
    assert story.revisions.first().summary == ["Excerpt changed"]
    publishing.restore(first)
    story.refresh_from_db()
    assert story.excerpt == ""


def test_the_json_feed_summarises_an_essay_by_its_excerpt(client, story):
    publishing.publish(story)
    summary = client.get("/feed/json/").json()["items"][0]["summary"]
    assert summary == "A walk in the hills."  # without an excerpt: the intro, as before
    story.excerpt = "Three days on the ridge."
    story.save()
    assert client.get("/feed/json/").json()["items"][0]["summary"] == "Three days on the ridge."
