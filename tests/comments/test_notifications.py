"""Comment e-mails through a real SMTP server on loopback, read back as delivered."""

import email
import socket
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip.comments import ownership
from filmstrip.comments.defence import issue_token
from filmstrip.comments.models import Comment
from filmstrip.comments.posting import NewComment, post_comment
from filmstrip.comments.tasks import send_notifications, send_reply_notice, send_waiting_summary
from filmstrip.conf import filmstrip_settings
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"


@pytest.fixture
def inbox(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.SITE_URL = "https://photos.example.org"
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    yield handler
    controller.stop()


@pytest.fixture
def story():
    author = User.objects.create_user("ann", "ann.author@example.org", "pw")
    story = Story.objects.create(title="A Half Marathon in Pyongyang", author=author)
    publishing.publish(story)
    return story


def comment(story, **fields):
    values = {
        "name": "Bo",
        "email": "bo@example.org",
        "url": "",
        "body": "Lovely photos",
        "token": issue_token(story),
        **fields,
    }
    # Each writer uses their own browser, whose cookie remembers the comments they posted.
    mine = Comment.objects.filter(author_email=values["email"]).values_list("pk", flat=True)
    values.setdefault("earlier", tuple(mine))
    return post_comment(story, NewComment(**values), ip="192.0.2.7")


def deliver(pk):
    """What a worker does with the queued job."""
    queued = DBTaskResult.objects.filter(task_path=send_notifications.module_path)
    assert any(row.args_kwargs["args"] == [pk] for row in queued), "the e-mail job was not queued"
    return send_notifications.call(pk)


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_the_author_hears_of_a_held_comment(inbox, story):
    held = comment(story, name="Bo\r\nBcc: victim@example.org")
    assert held.status == "pending"
    assert deliver(held.pk) == 1
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == "ann.author@example.org"
    assert message["Subject"] == "New comment awaiting moderation: A Half Marathon in Pyongyang"
    assert "Bcc" not in message and "victim" not in message["X-Envelope-To"]
    text = body(message)
    assert "Lovely photos" in text and "first comment from this address" in text
    assert f"https://photos.example.org/studio/comments#held-comment-{held.pk}" in text


def test_repliers_are_told_once_and_can_unsubscribe_with_one_click(inbox, story, client):
    Comment.objects.create(
        story=story,
        author_name="Cy",
        author_email="cy@example.org",
        body="earlier",
        status="approved",
    )
    Comment.objects.create(
        story=story,
        author_name="Bo",
        author_email="bo@example.org",
        body="earlier",
        status="approved",
    )
    first = comment(
        story, name="Cy", email="cy@example.org", body="Where was this?", notify_replies=True
    )
    assert first.status == "approved" and deliver(first.pk) == 0  # approved: nobody to tell
    reply = comment(story, body="Near the stadium.", parent_id=first.pk)
    assert reply.status == "approved" and deliver(reply.pk) == 1
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == "cy@example.org"
    text = body(message)
    assert "Near the stadium." in text and f"#comment-{reply.pk}" in text
    unsubscribe = next(line for line in text.splitlines() if "/comments/unsubscribe/" in line)
    path = urlparse(unsubscribe.split(": ", 1)[1]).path
    assert "You will hear no more" in client.get(path).content.decode()
    assert not Comment.objects.get(pk=first.pk).notify_replies
    again = comment(story, body="Also: the river.", parent_id=first.pk)
    assert deliver(again.pk) == 0 and len(inbox.messages) == 1
    assert client.get("/comments/unsubscribe/forged").status_code == 400


def test_a_held_reply_is_announced_when_the_author_approves_it(inbox, story, client):
    Comment.objects.create(
        story=story, author_name="Cy", author_email="cy@example.org", body="x", status="approved"
    )
    first = comment(story, name="Cy", email="cy@example.org", body="Where?", notify_replies=True)
    reply = comment(story, name="Dee", email="dee@example.org", body="Pier 4.", parent_id=first.pk)
    assert reply.status == "pending" and deliver(reply.pk) == 1  # only the author hears of it
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["ann.author@example.org"]

    client.force_login(User.objects.create_superuser("ed", "ed@example.org", "pw"))
    response = client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [reply.pk]}
    )
    assert response.status_code == 302
    queued = DBTaskResult.objects.filter(task_path=send_reply_notice.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[reply.pk]]
    assert send_reply_notice.call(reply.pk) == 1
    assert inbox.messages[-1]["X-Envelope-To"] == "cy@example.org"
    assert "Pier 4." in body(inbox.messages[-1])

    # Approving it again later (say, after a spam mistake) is not news.
    client.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [reply.pk]})
    assert queued.count() == 1


def run_jobs(task) -> int:
    """Every queued run of ``task``, as a worker would, ignoring when they are due."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return sum(task.call(*row.args_kwargs["args"]) for row in rows)


def test_a_flood_of_edits_sends_the_author_one_email(inbox, story, client):
    held = comment(story, body="Lovely photos")
    assert held.status == "pending"
    response = HttpResponse()
    ownership.remember(response, RequestFactory().get("/"), held)
    client.cookies.update(response.cookies)
    codes = [
        client.post(f"/comments/edit/{held.pk}", {"body": f"Lovely photos, take {n}"}).status_code
        for n in range(50)
    ]
    limit = filmstrip_settings.COMMENTS_EDITS_PER_10_MINUTES
    assert codes.count(302) == limit and codes.count(400) == 50 - limit
    run_jobs(send_notifications)
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["ann.author@example.org"]


def test_the_authors_inbox_has_an_hourly_ceiling_and_nothing_is_lost(inbox, story, settings):
    settings.FILMSTRIP_COMMENTS_MAILS_PER_HOUR = 3
    settings.FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 100
    held = [comment(story, email=f"guest{n}@example.org", body=f"Spam {n}") for n in range(12)]
    assert {c.status for c in held} == {"pending"}
    run_jobs(send_notifications)
    assert len(inbox.messages) == 3
    assert "11 comments more are waiting for you too." in body(inbox.messages[0])
    # The rest wait in moderation, and one summary, an hour later, says how many.
    assert Comment.objects.pending().count() == 12
    summaries = DBTaskResult.objects.filter(task_path=send_waiting_summary.module_path)
    assert summaries.count() == 1 and summaries.get().run_after > timezone.now()
    assert run_jobs(send_waiting_summary) == 1
    summary = inbox.messages[-1]
    assert summary["Subject"] == "12 comments awaiting moderation"
    assert body(summary).endswith("in the studio: https://photos.example.org/studio/comments\r\n")
