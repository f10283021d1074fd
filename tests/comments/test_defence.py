"""Spam and abuse limits through the real URLs: form tokens, edits, forwarded addresses."""

import pytest
from bs4 import BeautifulSoup

from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Story
from tests.comments.test_comments import approve_someone, post, tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = Story.objects.create(title="Limits")
    publishing.publish(story)
    return story


@pytest.fixture(autouse=True)
def no_wait(settings):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0


def guest(client, story, body, *, email, **extra):
    form = {"name": "Guest", "email": email, "url": "", "body": body, **tokens(client, story)}
    return client.post(f"/comments/{story.slug}/post", form, **extra)


def test_a_form_token_posts_one_comment(client, story):
    form = {"name": "Ann", "email": "ann@example.org", "url": "", **tokens(client, story)}
    first = client.post(f"/comments/{story.slug}/post", {**form, "body": "One"})
    assert first.status_code == 200 and Comment.objects.count() == 1
    again = client.post(f"/comments/{story.slug}/post", {**form, "body": "Two, same form"})
    assert again.status_code == 400 and Comment.objects.count() == 1
    html = again.content.decode()
    assert "This form has been sent already" in html and "Two, same form" in html
    # The page that says so carries a fresh form: sending it from there works.
    fresh = BeautifulSoup(html, "html.parser").select_one("input[name=token]")["value"]
    assert fresh != form["token"]
    sent = client.post(f"/comments/{story.slug}/post", {**form, "token": fresh, "body": "Two"})
    assert sent.status_code == 200 and Comment.objects.count() == 2


def test_behind_a_trusted_proxy_one_abuser_does_not_close_comments_for_all(client, story, settings):
    settings.FILMSTRIP_TRUSTED_PROXIES = ("127.0.0.1",)
    settings.FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 3
    abuser = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    codes = [
        guest(client, story, f"Spam {n}", email=f"s{n}@example.org", **abuser).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 200]
    assert Comment.objects.filter(ip_address="203.0.113.9").count() == 3  # the real address
    # Writing a different address first changes nothing: the proxy appended the real one.
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.50, 203.0.113.9"}
    refused = guest(client, story, "Spam 4", email="s4@example.org", **spoofed)
    assert "Too many comments from your network" in refused.content.decode()
    other = guest(
        client, story, "Hello", email="reader@example.org", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert other.status_code == 200
    assert Comment.objects.latest("pk").ip_address == "198.51.100.4"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, story, settings):
    settings.FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 2
    for n in range(2):
        guest(client, story, f"{n}", email=f"g{n}@example.org", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}")
    late = guest(client, story, "late", email="late@example.org", HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert "Too many comments from your network" in late.content.decode()
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_ipv6_limits_count_the_whole_64(client, story, settings):
    settings.FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 3
    for n in range(1, 4):
        ip = f"2001:db8:1:2::{n:x}"
        assert guest(client, story, f"{n}", email=f"v{n}@example.org", REMOTE_ADDR=ip).status_code
    same_64 = guest(client, story, "4", email="v4@example.org", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert "Too many comments from your network" in same_64.content.decode()
    next_64 = guest(client, story, "5", email="v5@example.org", REMOTE_ADDR="2001:db8:1:3::1")
    assert next_64.status_code == 200
    assert Comment.objects.count() == 4


def test_edits_are_limited_per_comment_and_what_was_typed_stays(client, story, settings):
    settings.FILMSTRIP_COMMENTS_EDITS_PER_10_MINUTES = 3
    approve_someone(story, client)
    post(client, story, body="Draft")
    mine = Comment.objects.latest("pk")
    codes = [
        client.post(f"/comments/edit/{mine.pk}", {"body": f"Take {n}"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 302]
    refused = client.post(f"/comments/edit/{mine.pk}", {"body": "Take 4"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "changed 3 times in ten minutes" in html and "Take 4" in html
    mine.refresh_from_db()
    assert mine.body == "Take 2"


def test_edits_are_limited_per_network_across_comments(client, story, settings):
    settings.FILMSTRIP_COMMENTS_EDITS_PER_IP_PER_10_MINUTES = 4
    approve_someone(story, client)
    post(client, story, body="First")
    post(client, story, body="Second")
    first, second = Comment.objects.order_by("-pk")[:2]
    codes = [
        client.post(f"/comments/edit/{pk}", {"body": f"Edit {n}"}).status_code
        for n, pk in enumerate([first.pk, second.pk] * 3)
    ]
    assert codes == [302, 302, 302, 302, 400, 400]
    refused = client.post(f"/comments/edit/{first.pk}", {"body": "x"}).content.decode()
    assert "Too many edits from your network" in refused


def test_typing_an_approved_commenters_address_does_not_skip_moderation(client, story):
    owner = type(client)()
    approve_someone(story, owner, email="known@example.org")
    impostor = guest(client, story, "Buy my stuff", email="known@example.org")
    assert impostor.status_code == 200 and "waiting for the author" in impostor.content.decode()
    held = Comment.objects.latest("pk")
    assert held.status == "pending" and held.moderation_reasons == [
        "first comment from this address"
    ]
    # The person whose approved comment this browser posted is known, under that address only.
    assert guest(owner, story, "Me again", email="known@example.org").status_code == 302
    assert Comment.objects.latest("pk").status == "approved"
    assert guest(owner, story, "Other me", email="other@example.org").status_code == 200
    assert Comment.objects.latest("pk").status == "pending"
