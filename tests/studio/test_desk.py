"""The studio's moderation desk over HTTP: what waits across essays, in words; decisions one at
a time and in bulk through the moderation service (the filter learns, pages are rebuilt); an
inline reply as the author; the studio's navigation, with the count, on every studio page."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db
DESK, DECIDE = "/studio/comments", "/studio/comments/decide"
LONG = "The light on the harbour wall. " * 40  # the desk shows all of it, not 80 characters


def essay(title):
    return publishing.publish(Story.objects.create(title=title))


def held(story, name, body="Lovely light", **fields):
    return Comment.objects.create(
        story=story, author_name=name, author_email=f"{name.lower()}@example.org", body=body,
        moderation_reasons=["3 links (more than 2)", "first comment from this address"],
        **fields,
    )  # fmt: skip


def link(story, n=0, **fields):
    return Backlink.objects.create(
        kind="webmention", story=story, source=f"https://blog{n}.example.net/post",
        target=f"https://photos.example.org{story.get_absolute_url()}",
        verification="verified", received_at=timezone.now(), title=f"A walk {n}", **fields,
    )  # fmt: skip


def page(client, url=DESK):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def notices(response) -> list[str]:
    """What the desk says after a decision, on the page the answer redirects to."""
    html = page(response.client, response["Location"])
    return [p.text for p in html.select(".notices p")]


def test_only_staff_use_the_desk(client):
    story = essay("Harbour")
    comment = held(story, "Ann")
    assert client.get(DESK).status_code == 302
    assert client.post(DECIDE, {"act": f"approve:comment:{comment.pk}"}).status_code == 302
    client.force_login(User.objects.create_user("ann", "ann@example.org", "pw"))
    assert client.get(DESK).status_code == 302
    assert client.post(f"/studio/comments/{comment.pk}/reply", {"body": "Hi"}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and Comment.objects.count() == 1


def test_the_desk_shows_what_waits_on_every_essay_in_full_and_in_words(client, author):
    harbour, dunes = essay("Harbour"), essay("Dunes")
    ann = held(harbour, "Ann", body=LONG)
    bob = held(dunes, "Bob")
    held(dunes, "Cy", status=Comment.Status.APPROVED)
    link(dunes, 1)
    html = page(client)
    rows = html.select("#comments-heading ~ .held > li")
    assert [r.select_one("header strong").text for r in rows] == ["Bob", "Ann"]  # newest first
    assert html.select_one(f"#held-comment-{ann.pk} .body").text.strip() == LONG.strip()
    reasons = [li.text for li in html.select(f"#held-comment-{bob.pk} .why li")]
    assert reasons == ["3 links (more than 2)", "first comment from this address"]
    assert "[" not in html.select_one(f"#held-comment-{bob.pk} .why").text  # not JSON
    assert html.select_one(f"#held-comment-{bob.pk} .where a")["href"] == "/dunes/"
    assert [a.text for a in html.select("#links-heading ~ .held strong a")] == ["A walk 1"]

    narrowed = page(client, f"{DESK}?story={harbour.pk}")
    assert [r["id"] for r in narrowed.select(".held-row")] == [f"held-comment-{ann.pk}"]


def test_the_photo_a_comment_is_about_is_shown(client, author, essay):
    photo = essay.items.filter(kind="photo").first().photo
    comment = held(essay, "Ann", photo=photo)
    figure = page(client).select_one(f"#held-comment-{comment.pk} figure.about")
    assert figure.select_one("img") is not None
    assert figure.a["href"] == f"{essay.get_absolute_url()}photos/{photo.pk}/"


def test_one_comment_is_approved_through_the_service(client, author, announced):
    story = essay("Harbour")
    ann, bob = held(story, "Ann"), held(story, "Bob")
    announced.clear()
    response = client.post(DECIDE, {"act": f"approve:comment:{ann.pk}"})
    assert response.status_code == 302 and response["Location"] == DESK
    ann.refresh_from_db(), bob.refresh_from_db()
    assert (ann.status, ann.trained_as) == (Comment.Status.APPROVED, "ham")  # the filter learnt
    assert bob.status == Comment.Status.PENDING
    assert [call["story"].pk for call in announced] == [story.pk]  # the page is rebuilt
    assert notices(response) == ["Approved: 1 comment(s)."]


def test_spam_teaches_the_filter_and_rebuilds_nothing_readers_never_saw(client, author, announced):
    story = essay("Harbour")
    ann = held(story, "Ann")
    announced.clear()
    client.post(DECIDE, {"act": f"spam:comment:{ann.pk}"})
    ann.refresh_from_db()
    assert (ann.status, ann.trained_as) == (Comment.Status.SPAM, "spam")
    assert announced == []


def test_the_ticked_rows_are_decided_together(client, author, announced):
    harbour, dunes = essay("Harbour"), essay("Dunes")
    ann, bob, cy = held(harbour, "Ann"), held(dunes, "Bob"), held(dunes, "Cy")
    mention, other = link(dunes, 1), link(dunes, 2)
    announced.clear()
    response = client.post(
        DECIDE,
        {"act": "approve", "comment": [ann.pk, bob.pk], "link": [mention.pk], "story": ""},
    )
    assert notices(response) == ["Approved: 2 comment(s) and 1 link(s) back."]
    statuses = {c.author_name: c.status for c in Comment.objects.all()}
    assert statuses == {"Ann": "approved", "Bob": "approved", "Cy": "pending"}
    assert Backlink.objects.get(pk=mention.pk).status == "approved"
    assert Backlink.objects.get(pk=other.pk).status == "pending"
    # Comments and links back each announce their essays; the rebuild queue keeps one per essay.
    assert {call["story"].pk for call in announced} == {harbour.pk, dunes.pk}

    response = client.post(DECIDE, {"act": "trash", "story": str(dunes.pk)})
    assert notices(response) == ["Nothing was selected: tick the rows to decide on first."]
    assert response["Location"] == f"{DESK}?story={dunes.pk}"
    assert Comment.objects.get(pk=cy.pk).status == "pending"


@pytest.mark.parametrize(
    "data", [{"act": "delete"}, {"act": "approve:user:1"}, {"act": "approve", "comment": "1 OR 1"}]
)
def test_anything_but_a_decision_on_rows_is_refused(client, author, data):
    held(essay("Harbour"), "Ann")
    assert client.post(DECIDE, data).status_code == 400
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_the_author_replies_inline_and_the_held_comment_is_approved(client, author, announced):
    story = essay("Harbour")
    story.author = author
    story.save()
    ann = held(story, "Ann")
    announced.clear()
    response = client.post(f"/studio/comments/{ann.pk}/reply", {"body": " Thank you, Ann! "})
    assert response["Location"] == DESK
    ann.refresh_from_db()
    assert (ann.status, ann.trained_as) == (Comment.Status.APPROVED, "ham")
    reply = Comment.objects.get(parent=ann)
    assert (reply.body, reply.status, reply.user, reply.depth) == (
        "Thank you, Ann!", Comment.Status.APPROVED, author, 2,
    )  # fmt: skip
    assert reply.by_author and reply.author_name != "ed"  # the published name, not the login
    assert {call["story"].pk for call in announced} == {story.pk}
    assert notices(response) == ["Replied to Ann on “Harbour”."]


def test_an_empty_reply_is_refused_and_changes_nothing(client, author):
    ann = held(essay("Harbour"), "Ann")
    response = client.post(f"/studio/comments/{ann.pk}/reply", {"body": "   "})
    assert notices(response) == ["Your reply to Ann was not sent: The reply is empty."]
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_every_studio_page_has_the_navigation_with_the_count(client, author):
    story = essay("Harbour")
    held(story, "Ann"), held(story, "Bob")
    link(story)
    for url in ["/studio/", DESK, "/studio/settings", f"/studio/{story.pk}/",
                f"/studio/{story.pk}/history"]:  # fmt: skip
        nav = page(client, url).select_one("nav.studio-nav")
        assert nav is not None, url
        assert nav.select_one(f'a[href="{DESK}"]').text.split() == ["Comments", "3", "waiting"]
        assert nav.select_one('a[href="/studio/settings"]') and nav.select_one('a[href="/"]')
        assert nav.select_one("form")["action"] == "/accounts/logout/"
    assert page(client, DESK).select_one("[aria-current=page]").text.startswith("Comments")


def test_sign_out_from_the_navigation_ends_the_session(client, author):
    nav = page(client, "/studio/").select_one("nav.studio-nav form")
    response = client.post(nav["action"], {"next": nav.select_one("[name=next]")["value"]})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/studio/").status_code == 302  # to the sign-in page


def test_a_wrong_decision_is_taken_back_from_the_spam_tray(client, author, announced):
    story = essay("Harbour")
    ann = held(story, "Ann", status=Comment.Status.SPAM)
    held(story, "Bob", status=Comment.Status.TRASH)
    assert page(client).select(".held-row") == []  # the waiting tray holds neither
    tray = page(client, f"{DESK}?status=spam")
    assert tray.h1.text == "Marked as spam"
    assert [r["id"] for r in tray.select(".held-row")] == [f"held-comment-{ann.pk}"]
    words = [b.text for b in tray.select(f"#held-comment-{ann.pk} .decide button")]
    assert words == ["Approve", "Trash"]  # no button for where it already is
    announced.clear()
    response = client.post(DECIDE, {"act": f"approve:comment:{ann.pk}", "status": "spam"})
    assert response["Location"] == f"{DESK}?status=spam"  # back to the same tray
    ann.refresh_from_db()
    assert (ann.status, ann.trained_as) == (Comment.Status.APPROVED, "ham")  # unlearnt spam
    assert [call["story"].pk for call in announced] == [story.pk]
    trash = page(client, f"{DESK}?status=trash&story={story.pk}")
    assert [r.select_one("header strong").text for r in trash.select(".held-row")] == ["Bob"]


def test_the_essay_list_tells_comments_and_links_back_apart(client, author):
    harbour, dunes = essay("Harbour"), essay("Dunes")
    essay("Quiet")
    held(harbour, "Ann"), held(harbour, "Bob"), held(harbour, "Cy", status="approved")
    link(harbour, 1), link(harbour, 2), link(harbour, 3, status="approved")
    link(dunes, 4)  # a link back alone still reaches the desk
    rows = {
        row.select_one("td:nth-of-type(2)").text: row.select("td")[-1]
        for row in page(client, "/studio/").select("table.essays tbody tr")
    }
    assert rows["Harbour"].text == "2 comments, 2 links back"
    assert rows["Dunes"].text == "1 link back"
    assert rows["Dunes"].a["href"] == f"{DESK}?story={dunes.pk}"
    assert rows["Quiet"].text == "nothing" and rows["Quiet"].a is None


@pytest.mark.parametrize("closed", ["by the author", "not published"])
def test_the_author_may_answer_on_an_essay_closed_to_readers_and_is_told_so(client, author, closed):
    story = essay("Harbour")
    if closed == "by the author":
        story.comments_open = False
    else:
        story.status = Story.Status.DRAFT
    story.save()
    ann = held(story, "Ann")
    note = page(client).select_one(f"#held-comment-{ann.pk} .author-reply .preview-hint")
    said = {
        "by the author": "Comments are closed on “Harbour”: readers cannot write any more, "
        "but you can still answer what was said, and your reply is shown.",
        "not published": "“Harbour” is not published: readers see your reply once it is.",
    }[closed]
    assert note is not None and note.text == said
    box = page(client).select_one(f"#held-comment-{ann.pk} textarea")
    assert box["aria-describedby"] == note["id"]
    response = client.post(f"/studio/comments/{ann.pk}/reply", {"body": "Thank you, Ann!"})
    assert notices(response) == ["Replied to Ann on “Harbour”."]
    reply = Comment.objects.get(parent=ann)
    assert reply.status == Comment.Status.APPROVED
    if closed == "by the author":
        html = client.get(story.get_absolute_url()).content.decode()
        assert "Thank you, Ann!" in html and "Comments are closed." in html


def test_no_note_beside_the_reply_while_readers_may_comment(client, author):
    ann = held(essay("Harbour"), "Ann")
    assert page(client).select_one(f"#held-comment-{ann.pk} .author-reply .preview-hint") is None
    assert not page(client).select_one(f"#held-comment-{ann.pk} textarea").get("aria-describedby")


def test_site_settings_name_each_place_of_the_navigation_once(client, author):
    html = page(client, "/studio/settings")
    for href in ["/studio/", "/"]:  # the essays and the site, in the navigation only
        assert len(html.select(f'.studio a[href="{href}"]')) == 1, href
    assert html.select_one(".studio-bar .save-state").text == "All changes saved"


def test_the_essay_list_says_when_an_essay_has_no_photos(client, author):
    essay("Empty")
    row = page(client, "/studio/").select_one("table.essays tbody tr")
    assert [td.text for td in row.select("td")][3:5] == ["0", "no photos yet"]  # not all ready
