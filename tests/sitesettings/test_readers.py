"""Everything that read the FILMSTRIP_* settings for what readers see, or for how comments are
moderated, follows the site settings once the author has saved them."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.accounts.models import display_name
from filmstrip.comments.models import Comment
from filmstrip.comments.policy import site_policy
from filmstrip.photos.models import Photo
from filmstrip.sitesettings.models import update
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    story = Story.objects.create(title="Harbour at dawn")
    return publishing.publish(story)


def post(client, story, body="Lovely light."):
    tokens = client.get(f"/comments/{story.slug}/form").json()
    form = {"name": "Ann", "email": "ann@example.org", "url": "", "body": body}
    form |= {"token": tokens["token"], "csrfmiddlewaretoken": tokens["csrf"]}
    return client.post(f"/comments/{story.slug}/post", form)


def test_first_comments_go_straight_on_the_page_when_the_author_says_so(client, story):
    post(client, story, "Held, as the settings said at first.")
    assert Comment.objects.get().status == Comment.Status.PENDING
    update({"hold_first_comments": False})
    post(client, story, "Published at once.")
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED


def test_links_and_words_the_author_chose_hold_a_comment(client, story):
    update({"hold_first_comments": False, "comment_max_links": 0, "comment_blocklist": "Casino"})
    post(client, story, "See https://example.org")
    post(client, story, "Best casino in town")
    post(client, story, "Plain words")
    reasons = [c.moderation_reasons for c in Comment.objects.order_by("pk")]
    assert reasons == [["1 links (more than 0)"], ["blocklisted words: casino"], []]
    policy = site_policy()
    assert (policy.max_links, policy.blocklist, policy.hold_first_comments) == (
        0,
        ["casino"],
        False,
    )


def test_sign_in_required_turns_guests_away(client, story):
    update({"require_signin": True})
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert not soup.select("#id_name, #id_email")
    response = post(client, story)
    assert response.status_code == 400 and "Please sign in" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_after_the_days_the_author_chose(client, story):
    assert story.accepts_comments(now=story.published_at + timedelta(days=3650))
    update({"close_comments_after_days": 30})
    assert not story.accepts_comments(now=story.published_at + timedelta(days=31))
    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(days=31))
    assert "Comments are closed." in client.get(story.get_absolute_url()).content.decode()


def test_a_new_essay_starts_with_the_authors_licence_and_photo_details():
    update(
        {
            "default_licence": "Use freely, [link back](https://example.org).",
            "show_photo_details": True,
        }
    )
    story = Story.objects.create(title="New")
    assert story.licence == "Use freely, [link back](https://example.org)."
    assert story.show_photo_details is True
    assert Story.objects.create(title="Old ways", show_photo_details=False).licence


def test_the_title_and_licence_link_reach_feeds_oembed_admin_and_renditions(client, story):
    cc = "https://creativecommons.org/licenses/by/4.0/"
    update({"site_title": "Notes from the Harbour", "default_licence_url": cc})
    feed = feedparser.parse(client.get("/feed/atom/").content)
    assert feed.feed.title == "Notes from the Harbour"
    assert (
        "Notes from the Harbour" in feedparser.parse(client.get("/feed/rss/").content).feed.subtitle
    )
    oembed = client.get("/oembed", {"url": f"{django_settings.SITE_URL}{story.get_absolute_url()}"})
    assert oembed.json()["provider_name"] == "Notes from the Harbour"
    assert Photo(creator="Ed").rights().licence_url == cc
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert cc in [a["href"] for a in page.select('a[rel~="license"]')]

    admin = User.objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(admin)
    assert "Notes from the Harbour · admin" in client.get("/admin/").content.decode()


def test_an_author_without_a_name_of_their_own_is_the_sites(settings):
    settings.FILMSTRIP_SITE_TITLE = "Harbour Notes"
    writer = User.objects.create_user("writer", first_name="Wendy", last_name="Writer")
    assert (display_name(None), display_name(writer)) == ("Harbour Notes", "Wendy Writer")
    update({"author_name": "Ed Marsh"})
    assert (display_name(None), display_name(writer)) == ("Ed Marsh", "Ed Marsh")
