import json
import random
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from filmstrip.comments import ownership
from filmstrip.comments.defence import HONEYPOT_FIELD, Rejected, check_token, issue_token
from filmstrip.comments.models import Comment
from filmstrip.comments.policy import ModerationPolicy
from filmstrip.stories import publishing
from filmstrip.stories.models import Story
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = Story.objects.create(title="A Half Marathon in Pyongyang")
    publishing.publish(story)
    return story


@pytest.fixture
def no_wait(settings):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0


def tokens(client, story):
    data = client.get(f"/comments/{story.slug}/form").json()
    return {"token": data["token"], "csrfmiddlewaretoken": data["csrf"]}


def post(client, story, **fields):
    form = {
        "name": "Ann",
        "email": "ann@example.org",
        "url": "",
        "body": "Great race!",
        **tokens(client, story),
        **fields,
    }
    return client.post(f"/comments/{story.slug}/post", form)


def page(client, story):
    return BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")


def approve_someone(story, client, email="ann@example.org"):
    """An approved comment that ``client``'s browser posted earlier (its signed cookie)."""
    earlier = Comment.objects.create(
        story=story,
        author_name="Ann",
        author_email=email,
        body="Earlier",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=1))
    response = HttpResponse()
    ownership.remember(response, RequestFactory().get("/"), earlier)
    client.cookies.update(response.cookies)


def test_a_first_comment_waits_for_moderation_and_is_not_counted(client, story, no_wait):
    client = type(client)(enforce_csrf_checks=True)
    response = post(client, story)
    assert response.status_code == 200 and "waiting for the author" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == "pending" and comment.moderation_reasons == [
        "first comment from this address"
    ]
    assert comment.ip_address == "127.0.0.1"
    heading = page(client, story).select_one("#comments-title").get_text()
    assert heading == "0 thoughts on “A Half Marathon in Pyongyang”"


def test_a_returning_commenter_is_published_at_once_and_replies_thread(
    client, story, no_wait, settings
):
    settings.SITE_URL = "https://photos.example.org"  # so that 127.0.0.1 can only be the IP
    approve_someone(story, client)
    response = post(client, story, body="Second *thought*, see [my run](https://example.org/run)")
    comment = Comment.objects.latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"#{comment.anchor}")
    reply = post(client, story, body="A reply", parent=str(comment.pk))
    assert reply.status_code == 302
    soup = page(client, story)
    assert soup.select_one("#comments-title").get_text().startswith("3 thoughts on")
    nested = soup.select(f"#{comment.anchor} .comment-list .comment")
    assert len(nested) == 1 and "A reply" in nested[0].get_text()
    link = soup.select_one(f"#{comment.anchor} .comment-body a")
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    assert soup.select_one(f"#{comment.anchor} .comment-body em").get_text() == "thought"
    assert "ann@example.org" not in str(soup) and "127.0.0.1" not in str(soup)


def test_the_page_stays_the_same_for_every_reader(client, story):
    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())
    assert first.content == second.content and not first.cookies
    html = first.content.decode()
    assert "csrfmiddlewaretoken" not in html and 'name="token" value=""' in html
    form = BeautifulSoup(html, "html.parser").select_one("form.comment-form")
    assert form["action"] == f"/comments/{story.slug}/confirm"  # works without JavaScript


def test_without_javascript_the_confirmation_page_adds_the_tokens(client, story, no_wait):
    client = type(client)(enforce_csrf_checks=True)
    typed = {
        "name": "Bo",
        "email": "bo@example.org",
        "body": "Typed without JS",
        "url": "",
        HONEYPOT_FIELD: "",
    }
    confirm = client.post(f"/comments/{story.slug}/confirm", typed)
    assert confirm.status_code == 200
    form = BeautifulSoup(confirm.content, "html.parser").select_one("form.comment-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input")}
    assert fields["name"] == "Bo" and form.textarea.get_text() == "Typed without JS"
    assert fields["token"] and fields["csrfmiddlewaretoken"]
    assert not Comment.objects.exists()  # confirming alone stores nothing
    assert form["action"] == f"/comments/{story.slug}/post"  # no script needed to get there
    sent = client.post(form["action"], {**fields, "body": "Typed without JS"})
    assert sent.status_code == 200 and Comment.objects.get().body == "Typed without JS"


def test_posting_without_a_csrf_token_is_refused(client, story, no_wait):
    client = type(client)(enforce_csrf_checks=True)
    form = {"name": "Ann", "email": "ann@example.org", "body": "x", "token": issue_token(story)}
    assert client.post(f"/comments/{story.slug}/post", form).status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({HONEYPOT_FIELD: "http://spam.example"}, "could not be accepted"),
        ({"token": "forged"}, "not issued by this site"),
        ({"body": "x" * 5001}, "at most 5000 characters"),
        ({"email": "not-an-address"}, "valid email"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_typed_is_lost(
    client, story, no_wait, fields, message
):
    response = post(client, story, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Ann" in html  # the form comes back filled in
    assert not Comment.objects.exists()


def test_too_fast_too_old_and_wrong_essay_tokens(story):
    other = Story.objects.create(title="Other")
    publishing.publish(other)
    token = issue_token(story, now=1_000_000)
    with pytest.raises(Rejected, match="quicker than anyone"):
        check_token(token, story, now=1_000_001)
    check_token(token, story, now=1_000_010)
    with pytest.raises(Rejected, match="too old"):
        check_token(token, story, now=1_000_000 + 3 * 24 * 3600)
    with pytest.raises(Rejected, match="another essay"):
        check_token(token, other, now=1_000_010)


def test_duplicates_and_floods_are_refused(client, story, no_wait, settings):
    approve_someone(story, client)
    assert post(client, story, body="Same words").status_code == 302
    assert "already posted" in post(client, story, body="Same words").content.decode()
    settings.FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 3
    for i in range(2):
        post(client, story, body=f"Message {i}", email=f"p{i}@example.org")
    flood = post(client, story, body="One more", email="late@example.org")
    assert "Too many comments" in flood.content.decode()


def test_drafts_take_no_comments(client, story):
    publishing.unpublish(story)
    assert client.get(f"/comments/{story.slug}/form").status_code == 404


@pytest.mark.parametrize(
    ("body", "held"),
    [
        ("Nice photos", []),
        ("see http://a.example http://b.example http://c.example", ["3 links (more than 2)"]),
        ("Buy cheap pills now", ["blocklisted words: pills"]),
    ],
)
def test_the_moderation_policy_explains_itself(body, held):
    policy = ModerationPolicy(max_links=2, blocklist=["pills"], hold_first_comments=False)
    decision = policy.decide(
        found=policy.check(Comment(author_name="A", body=body), known_good=True)
    )
    assert decision.reasons == held
    assert decision.status == ("pending" if held else "approved")


def test_replies_deeper_than_the_limit_answer_alongside(client, story, no_wait, settings):
    settings.FILMSTRIP_COMMENTS_MAX_DEPTH = 2
    approve_someone(story, client)
    top = Comment.objects.get()
    post(client, story, body="depth 2", parent=str(top.pk))
    second = Comment.objects.latest("pk")
    post(client, story, body="depth 3?", parent=str(second.pk))
    third = Comment.objects.latest("pk")
    assert (second.depth, third.depth, third.parent_id) == (2, 2, top.pk)


def test_xss_payloads_are_stored_inert_everywhere_they_are_shown(client, story, no_wait):
    payloads = (
        corpus_file("other/xss/payloadbox/xss-payload-list.txt")
        .read_text(errors="replace")
        .splitlines()
    )
    dompurify = json.loads(corpus_file("other/xss/dompurify/expect.json").read_text())
    sample = random.Random(7).sample(payloads, 150) + [c["payload"] for c in dompurify[:100]]
    for i, payload in enumerate(sample):
        Comment.objects.create(
            story=story,
            author_name=payload[:100],
            author_email=f"x{i}@example.org",
            body=payload,
            status=Comment.Status.APPROVED,
        )
    html = client.get(story.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    comments = soup.select_one("#comments")
    assert not comments.select(
        "script, iframe, object, embed, svg, math, img, style, form input[onfocus]"
    )
    for element in comments.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            text = " ".join(value) if isinstance(value, list) else value
            if attribute in ("href", "src", "action"):
                assert not executable_url(text), (element.name, text)
    admin = User.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(admin)
    listing = BeautifulSoup(client.get("/admin/comments/comment/").content, "html.parser")
    assert not listing.select("#result_list script, #result_list img, #result_list iframe")


def executable_url(url: str) -> bool:
    """Whether a browser would run ``url`` as script, parsing it as the URL standard does:
    C0 controls and spaces trimmed at the ends, tabs and newlines removed anywhere."""
    trimmed = url.strip("".join(chr(c) for c in range(0x21)))
    cleaned = "".join(ch for ch in trimmed if ch not in "\t\n\r").lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


def test_admin_moderates_in_bulk_and_shows_the_pending_count(client, story):
    ids = [
        Comment.objects.create(
            story=story, author_name="A", author_email="a@example.org", body=f"c{i}"
        ).pk
        for i in range(3)
    ]
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    assert "3 awaiting moderation" in client.get("/admin/comments/comment/").content.decode()
    client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": ids[:2]})
    client.post("/admin/comments/comment/", {"action": "mark_spam", "_selected_action": ids[2:]})
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "spam",
    ]


def test_the_reply_opt_in_travels_from_the_form(client, story, no_wait):
    approve_someone(story, client)
    post(client, story, body="Tell me about replies", notify="on")
    post(client, story, body="Do not tell me")
    flags = dict(Comment.objects.values_list("body", "notify_replies"))
    assert flags["Tell me about replies"] is True and flags["Do not tell me"] is False


def test_comments_close_per_essay_and_after_a_number_of_days(client, story, no_wait, settings):
    from datetime import timedelta

    from django.utils import timezone

    story.comments_open = False
    story.save()
    assert "Comments are closed." in client.get(story.get_absolute_url()).content.decode()
    assert client.get(f"/comments/{story.slug}/form").status_code == 404
    story.comments_open = True
    story.save()
    settings.FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS = 30
    assert story.accepts_comments()
    assert not story.accepts_comments(now=story.published_at + timedelta(days=31))
    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(days=31))
    story.refresh_from_db()
    page_html = client.get(story.get_absolute_url()).content.decode()
    assert "Comments are closed." in page_html and '<form class="comment-form"' not in page_html
    assert client.post(f"/comments/{story.slug}/post", {}).status_code == 404


def test_a_guest_edits_and_deletes_their_comment_within_the_window(
    client, story, no_wait, settings
):

    approve_someone(story, client)
    post(client, story, body="Frist!")
    mine = Comment.objects.latest("pk")
    assert client.get(f"/comments/{story.slug}/form").json()["editable"] == [mine.pk]
    edit_page = client.get(f"/comments/edit/{mine.pk}")
    assert edit_page.status_code == 200 and "Frist!" in edit_page.content.decode()
    response = client.post(f"/comments/edit/{mine.pk}", {"body": "First, properly spelt."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "First, properly spelt." and mine.status == "approved"
    # Links added afterwards are judged like new ones.
    client.post(
        f"/comments/edit/{mine.pk}",
        {"body": "see http://a.example http://b.example http://c.example"},
    )
    mine.refresh_from_db()
    assert mine.status == "pending" and "3 links" in mine.moderation_reasons[0]
    client.post(f"/comments/edit/{mine.pk}", {"delete": "1"})
    mine.refresh_from_db()
    assert mine.status == "trash"
    assert client.get(f"/comments/edit/{mine.pk}").status_code == 404


def test_nobody_else_can_edit_and_the_window_closes(client, story, no_wait):
    from datetime import timedelta

    approve_someone(story, client)
    post(client, story, body="Mine")
    mine = Comment.objects.latest("pk")
    stranger = type(client)()
    assert stranger.get(f"/comments/edit/{mine.pk}").status_code == 404
    assert stranger.post(f"/comments/edit/{mine.pk}", {"delete": "1"}).status_code == 404
    Comment.objects.filter(pk=mine.pk).update(created_at=mine.created_at - timedelta(minutes=16))
    assert client.get(f"/comments/edit/{mine.pk}").status_code == 404
    assert Comment.objects.get(pk=mine.pk).body == "Mine"


def test_comments_on_a_photo_name_it_and_replies_stay_with_it(client, story, no_wait, ready_photo):
    from filmstrip.stories.models import StoryItem

    photo = ready_photo()
    StoryItem.objects.create(story=story, photo=photo, alt_text="A falcon")
    approve_someone(story, client)
    soup = page(client, story)
    link = soup.select_one(f"#photo-{photo.pk} .photo-actions a.photo-comment")
    assert link["href"] == f"/comments/{story.slug}/confirm?photo={photo.pk}"
    confirm = client.get(link["href"])
    assert f'name="photo" value="{photo.pk}"' in confirm.content.decode()

    post(client, story, body="What a wingspan", photo=str(photo.pk))
    about = Comment.objects.latest("pk")
    post(client, story, body="Agreed", parent=str(about.pk))
    reply = Comment.objects.latest("pk")
    assert about.photo == photo and reply.photo == photo
    soup = page(client, story)
    assert soup.select_one(f"#{about.anchor} .comment-photo a")["href"] == f"#photo-{photo.pk}"
    other = post(client, story, body="Not in this essay", photo="999999")
    assert "not part of this essay" in other.content.decode()


def test_no_comment_links_where_comments_are_closed(client, story, settings):
    from datetime import timedelta

    from django.utils import timezone

    approve_someone(story, client)
    settings.FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS = 30
    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(days=31))
    soup = page(client, story)
    assert soup.select(".comment") and not soup.select("a.reply, a.photo-comment")


def test_an_edit_after_approval_is_unlearnt_and_rejudged(client, story, no_wait):
    from filmstrip.comments import classifier
    from filmstrip.comments.models import TokenCount

    approve_someone(story, client)
    post(client, story, body="Kind words about photos")
    mine = Comment.objects.latest("pk")
    classifier.learn(mine, "ham")
    assert TokenCount.objects.get(token="kind").ham == 1
    client.post(f"/comments/edit/{mine.pk}", {"body": "Cheap pills here"})
    mine.refresh_from_db()
    assert TokenCount.objects.get(token="kind").ham == 0 and mine.trained_as == ""
    classifier.learn(mine, "spam")  # a later decision counts the new text only
    assert TokenCount.objects.get(token="pills").spam == 1
