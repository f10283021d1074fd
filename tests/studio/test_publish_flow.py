"""Publishing from the editor says what happens: the photos without alt text named first, a
word after with a link to the live essay, a schedule read in the author's zone, and when
"Updated" shows."""

from datetime import UTC, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from filmstrip.photos.models import Photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem

pytestmark = pytest.mark.django_db


def photo(n: int) -> Photo:
    return Photo.objects.create(
        original_filename=f"IMG_{n:04}.jpg", checksum=f"{n:064x}", size_bytes=1, format="jpeg",
        width=4, height=3,
    )  # fmt: skip


@pytest.fixture
def story(author):
    story = Story.objects.create(title="Hills", author=author)
    StoryItem.objects.create(story=story, position=0, photo=photo(1), alt_text="A ridge")
    StoryItem.objects.create(story=story, position=1, kind="text", body="Then rain.")
    StoryItem.objects.create(story=story, position=2, photo=photo(2), alt_text=" \u00a0")
    StoryItem.objects.create(story=story, position=3, photo=photo(3))
    return story


def editor(client, url) -> BeautifulSoup:
    return BeautifulSoup(client.get(url).content, "html.parser")


def test_publishing_names_the_photos_without_alt_text_first(client, story):
    response = client.post(f"/studio/{story.pk}/publish")
    story.refresh_from_db()
    assert story.status == "draft"  # not published behind the author's back
    assert response.url.endswith("?check=publish&when=&zone=#publish-check")
    page = editor(client, response.url)
    check = page.select_one("dialog#publish-check")
    assert check.has_attr("open")
    links = check.select(".missing-alt a")
    assert [a.get_text() for a in links] == ["Photo 2: IMG_0002.jpg", "Photo 3: IMG_0003.jpg"]
    for link in links:  # each leads to the photo's row in the editor
        row = page.select_one(link["href"])
        assert row is not None and "item-photo" in row["class"]
    # Without the check asked for, the dialog is there (for the script) but closed.
    assert not editor(client, f"/studio/{story.pk}/").select_one("#publish-check").has_attr("open")


def test_publishing_anyway_says_so_with_a_link_to_the_live_essay(client, story):
    response = client.post(f"/studio/{story.pk}/publish", {"anyway": "1"}, follow=True)
    story.refresh_from_db()
    assert story.is_published
    said = BeautifulSoup(response.content, "html.parser").select_one(".messages .live")
    assert "Published: readers can see it now." in said.get_text()
    assert said.select_one("a")["href"] == story.get_absolute_url()


def test_an_essay_with_alt_text_throughout_is_published_without_a_question(client, story):
    story.items.photos().update(alt_text="Rain on the ridge")
    client.post(f"/studio/{story.pk}/publish")
    story.refresh_from_db()
    assert story.is_published


@pytest.mark.parametrize(
    "zone, when, utc",
    [
        ("America/New_York", "2030-07-01T10:00", "2030-07-01T14:00:00+00:00"),  # summer time
        ("America/New_York", "2030-01-01T10:00", "2030-01-01T15:00:00+00:00"),
        ("Asia/Kolkata", "2030-01-01T10:00", "2030-01-01T04:30:00+00:00"),
        ("", "2030-01-01T10:00", "2030-01-01T10:00:00+00:00"),  # no script: the site's zone
        ("../../etc/passwd", "2030-01-01T10:00", "2030-01-01T10:00:00+00:00"),
        ("Mars/Olympus_Mons", "2030-01-01T10:00", "2030-01-01T10:00:00+00:00"),
        ("America/New_York", "2030-01-01T10:00+02:00", "2030-01-01T08:00:00+00:00"),
    ],
)
def test_a_schedule_is_read_in_the_authors_zone_and_stored_in_utc(client, story, zone, when, utc):
    data = {"when": when, "zone": zone, "anyway": "1"}
    response = client.post(f"/studio/{story.pk}/publish", data, follow=True)
    story.refresh_from_db()
    assert story.publication_state == "scheduled"
    assert story.published_at.astimezone(UTC).isoformat() == utc
    said = BeautifulSoup(response.content, "html.parser").select_one(".messages").get_text()
    assert "Scheduled: it goes live on" in said


def test_the_schedule_is_said_in_the_authors_own_time(client, story):
    data = {"when": "2030-01-07T09:30", "zone": "Europe/Berlin", "anyway": "1"}
    response = client.post(f"/studio/{story.pk}/publish", data, follow=True)
    said = BeautifulSoup(response.content, "html.parser").select_one(".messages").get_text()
    assert "Monday 7 January 2030, 09:30 (Europe/Berlin)" in said


def test_the_check_keeps_the_moment_asked_for(client, story):
    data = {"when": "2030-01-07T09:30", "zone": "Europe/Berlin"}
    response = client.post(f"/studio/{story.pk}/publish", data)
    form = editor(client, response.url).select_one("form.publish-anyway")
    assert form.select_one('[name="when"]')["value"] == "2030-01-07T09:30"
    assert form.select_one('[name="zone"]')["value"] == "Europe/Berlin"


def test_the_editor_says_when_updated_and_the_change_note_show(client, story):
    def hint():
        return editor(client, f"/studio/{story.pk}/").select_one("#updated-hint").get_text()

    assert hint().startswith("Once the essay is published, a change made on a later day")
    publishing.publish(story)
    assert "changes made that day show no “Updated”" in hint()
    publishing.publish(story, when=timezone.now() - timedelta(days=3))
    story.refresh_from_db()
    publishing.changed(story)
    assert hint().startswith("Readers see “Updated ")


def test_a_moment_already_past_publishes_dated_as_asked(client, story):
    data = {"when": "2020-05-01T09:00", "zone": "Europe/Paris", "anyway": "1"}
    response = client.post(f"/studio/{story.pk}/publish", data, follow=True)
    story.refresh_from_db()
    assert story.is_published
    assert story.published_at.astimezone(UTC).isoformat() == "2020-05-01T07:00:00+00:00"
    said = BeautifulSoup(response.content, "html.parser").select_one(".messages .live")
    assert "Published, dated as asked." in said.get_text()
    assert said.select_one("a")["href"] == story.get_absolute_url()
