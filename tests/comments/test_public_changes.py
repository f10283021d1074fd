"""Comments and links back readers see: each change the published site must show is announced
(stories.publishing), once per essay however many rows one action touches."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment
from filmstrip.comments.posting import delete_comment, edit_comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Story
from tests.comments.test_comments import approve_someone, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    return client


def essay(title):
    return publishing.publish(Story.objects.create(title=title))


def comments(story, n, status=Comment.Status.PENDING):
    return [
        Comment.objects.create(
            story=story, author_name=f"R{i}", author_email=f"r{i}@example.org", body="Nice",
            status=status,
        )
        for i in range(n)
    ]  # fmt: skip


def approve(client, rows, action="approve"):
    changelist = "/admin/comments/comment/"
    response = client.post(changelist, {"action": action, "_selected_action": [c.pk for c in rows]})
    assert response.status_code == 302


def test_fifty_comments_approved_at_once_are_one_announcement_per_essay(staff_client, announced):
    first, second = essay("First"), essay("Second")
    held = comments(first, 50) + comments(second, 3)
    announced.clear()
    approve(staff_client, held)
    assert Comment.objects.approved().count() == 53
    assert sorted(call["story"].pk for call in announced) == [first.pk, second.pk]
    approve(staff_client, held)  # already approved: readers see nothing new
    assert len(announced) == 2
    approve(staff_client, held[:5], action="trash")
    assert len(announced) == 3 and announced[-1]["story"].pk == first.pk


def test_spam_caught_in_a_held_comment_changes_nothing_public(staff_client, announced):
    held = comments(essay("First"), 4)
    announced.clear()
    approve(staff_client, held, action="mark_spam")
    assert announced == []


def test_a_comment_on_a_draft_changes_nothing_public(staff_client, announced):
    draft = Story.objects.create(title="Draft")
    approve(staff_client, comments(draft, 2))
    assert announced == []


def test_the_writers_own_edits_and_deletions_of_approved_comments(announced):
    story = essay("First")
    shown, held = comments(story, 1, Comment.Status.APPROVED)[0], comments(story, 1)[0]
    announced.clear()
    edit_comment(shown, "Nicer")
    assert len(announced) == 1
    edit_comment(held, "Still held")
    delete_comment(held)
    assert len(announced) == 1  # readers never saw it
    shown.refresh_from_db()
    shown.status = Comment.Status.APPROVED
    shown.save()
    delete_comment(shown)
    assert len(announced) == 2 and announced[-1]["story"].pk == story.pk


def test_a_comment_published_at_once_is_announced(client, settings, announced):
    settings.FILMSTRIP_COMMENTS_MIN_SECONDS = 0
    story = essay("A Half Marathon in Pyongyang")
    approve_someone(story, client)
    assert post(client, story, body="Second thought").status_code == 302
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    assert len(announced) == 2  # the publication, and the comment


def test_links_back_approved_in_the_admin_are_announced_once_per_essay(staff_client, announced):
    story = essay("First")
    rows = [
        Backlink.objects.create(
            kind="webmention", story=story, source=f"https://elsewhere.example/{n}",
            target=f"https://photos.example.org/{story.slug}/", received_at=timezone.now(),
            verification=Backlink.Check.VERIFIED,
        )
        for n in range(10)
    ]  # fmt: skip
    announced.clear()
    response = staff_client.post(
        "/admin/backlinks/backlink/",
        {"action": "approve", "_selected_action": [b.pk for b in rows]},
    )
    assert response.status_code == 302
    assert [call["story"].pk for call in announced] == [story.pk]
