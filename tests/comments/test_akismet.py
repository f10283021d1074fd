"""The optional Akismet check, against an Akismet-compatible server on loopback."""

import http.server
import threading
import urllib.parse

import pytest
from django.contrib.auth.models import User

from filmstrip.comments.defence import issue_token
from filmstrip.comments.identity import reader_for
from filmstrip.comments.models import Comment
from filmstrip.comments.posting import NewComment, post_comment
from filmstrip.comments.tasks import send_notifications
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


class FakeAkismet(http.server.BaseHTTPRequestHandler):
    """Answers like the real service: "true" for spam, "false" otherwise."""

    received: list[dict] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        FakeAkismet.received.append({"path": self.path, **fields})
        answer = b"true" if "viagra" in fields.get("comment_content", "") else b"false"
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def akismet(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeAkismet.received = []
    settings.FILMSTRIP_AKISMET_KEY = "test-key"
    settings.FILMSTRIP_AKISMET_URL = f"http://127.0.0.1:{server.server_port}"
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    settings.FILMSTRIP_COMMENTS_HOLD_FIRST = False
    yield server
    server.shutdown()


@pytest.fixture
def story():
    story = Story.objects.create(title="Walks")
    publishing.publish(story)
    return story


def post(story, body):
    data = NewComment(
        name="Bo", email="bo@example.org", url="", body=body, token=issue_token(story)
    )
    comment = post_comment(story, data, ip="192.0.2.9", user_agent="Firefox")
    assert comment.status == "pending" and comment.moderation_reasons == [
        "waiting for the Akismet check"
    ]
    send_notifications.call(comment.pk)  # what the worker does next
    comment.refresh_from_db()
    return comment


def test_a_clean_comment_is_published_after_the_check(akismet, story):
    comment = post(story, "Lovely photos")
    assert comment.status == "approved" and comment.moderation_reasons == []
    (sent,) = FakeAkismet.received
    assert sent["path"] == "/1.1/comment-check" and sent["api_key"] == "test-key"
    assert sent["comment_content"] == "Lovely photos" and sent["user_ip"] == "192.0.2.9"
    assert sent["permalink"].endswith("/walks/")


def test_spam_is_marked_spam(akismet, story):
    comment = post(story, "cheap viagra here")
    assert comment.status == "spam" and comment.moderation_reasons == ["Akismet: spam"]


def test_an_unreachable_service_leaves_the_comment_to_the_author(akismet, story, settings):
    akismet.shutdown()
    akismet.server_close()
    comment = post(story, "Lovely photos")
    assert comment.status == "pending"
    assert comment.moderation_reasons == ["Akismet did not answer; left for you to decide"]


def test_the_sites_own_people_do_not_wait_for_it(akismet, story, announced):
    editor = User.objects.create_user("ed", "ed@example.org", is_staff=True)
    data = NewComment(
        name="",
        email="",
        url="",
        body="Thanks",
        token=issue_token(story),
        reader=reader_for(editor),
    )
    announced.clear()
    comment = post_comment(story, data, ip="192.0.2.9")
    assert comment.status == "approved" and comment.moderation_reasons == []
    assert send_notifications.call(comment.pk) == 0 and FakeAkismet.received == []
    assert len(announced) == 1


def test_a_published_verdict_rebuilds_the_essay_once(akismet, story, announced):
    announced.clear()
    post(story, "Lovely photos")
    assert [call["story"].pk for call in announced] == [story.pk]
    post(story, "cheap viagra here")
    assert len(announced) == 1


def test_without_a_key_nothing_is_asked(story, settings):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    settings.FILMSTRIP_COMMENTS_HOLD_FIRST = False
    data = NewComment(
        name="Bo", email="bo@example.org", url="", body="Hi", token=issue_token(story)
    )
    assert post_comment(story, data, ip=None).status == Comment.Status.APPROVED
