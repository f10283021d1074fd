"""Rendering a comment happens before its transaction, never while the write lock is held.

With SQLite a transaction holds the whole database's write lock: a slow render inside it made
every other writer (the worker claiming its next job included) wait, then fail.
"""

import pytest
from django.db import connection

from filmstrip.comments import models, posting
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing, richtext
from filmstrip.stories.models import Story
from tests.comments.test_comments import post


@pytest.fixture
def story():
    story = Story.objects.create(title="A Half Marathon in Pyongyang")
    publishing.publish(story)
    return story


@pytest.fixture
def render_spy(monkeypatch):
    """Every render of a comment, with whether a transaction was open at the time."""
    seen = []
    real = richtext.render_comment

    def spy(text):
        seen.append((text, connection.in_atomic_block))
        return real(text)

    monkeypatch.setattr(posting, "render_comment", spy, raising=False)
    monkeypatch.setattr(models, "render_comment", spy)
    return seen


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around the request
def test_posting_and_editing_render_before_the_transaction(
    client,
    story,
    settings,
    render_spy,
):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    assert post(client, story, body="Nice *run*").status_code in (200, 302)
    mine = Comment.objects.get()
    assert mine.body_html == "<p>Nice <em>run</em></p>"
    client.post(f"/comments/edit/{mine.pk}", {"body": "Nicer **run**"})
    mine.refresh_from_db()
    assert mine.body_html == "<p>Nicer <strong>run</strong></p>"
    assert render_spy == [("Nice *run*", False), ("Nicer **run**", False)]


@pytest.mark.django_db
def test_saving_a_changed_body_still_renders_it(story):
    comment = Comment.objects.create(story=story, author_name="Ann", body="*a*")
    assert comment.body_html == "<p><em>a</em></p>"
    comment.body = "**b**"
    comment.save()
    assert Comment.objects.get().body_html == "<p><strong>b</strong></p>"
