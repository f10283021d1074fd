"""What a moderation decision does, whichever surface makes it: the service called directly (as a
studio page or a job would), and the admin's change form, get what the admin's bulk actions get.
"""

import pytest
from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult

from filmstrip.comments import moderation
from filmstrip.comments.models import Comment, Totals
from filmstrip.comments.tasks import send_reply_notice
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db


def essay(title):
    return publishing.publish(Story.objects.create(title=title))


def held(story, n, **fields):
    return [
        Comment.objects.create(
            story=story, author_name=f"R{i}", author_email=f"r{i}@example.org",
            body=f"Lovely light {i}", **fields,
        )
        for i in range(n)
    ]  # fmt: skip


def notices():
    queued = DBTaskResult.objects.filter(task_path=send_reply_notice.module_path)
    return sorted(pk for row in queued for pk in row.args_kwargs["args"])


@pytest.fixture
def thread():
    """Two published essays: 50 held comments under the first, one a reply to an approved
    comment whose writer asked to hear of replies; 3 held under the second."""
    first, second = essay("First"), essay("Second")
    parent = Comment.objects.create(
        story=first, author_name="Cy", author_email="cy@example.org", body="Where?",
        status=Comment.Status.APPROVED, notify_replies=True,
    )  # fmt: skip
    reply = held(first, 1, parent=parent, depth=2)[0]
    return first, second, reply, [reply, *held(first, 49), *held(second, 3)]


def test_the_service_teaches_notifies_and_rebuilds_once_per_essay(thread, announced):
    first, second, reply, rows = thread
    announced.clear()
    chosen = Comment.objects.filter(pk__in=[c.pk for c in rows])

    assert moderation.moderate(chosen, Comment.Status.APPROVED) == 53
    assert Comment.objects.approved().count() == 54
    assert sorted(call["story"].pk for call in announced) == [first.pk, second.pk]
    assert set(chosen.values_list("trained_as", flat=True)) == {"ham"}
    assert (Totals.objects.get().spam, Totals.objects.get().ham) == (0, 53)
    assert notices() == [reply.pk]  # only the held reply was news to its parent's writer

    spam = Comment.objects.filter(pk__in=[c.pk for c in rows[:5]])
    assert moderation.moderate(spam, Comment.Status.SPAM) == 5
    assert (Totals.objects.get().spam, Totals.objects.get().ham) == (5, 48)  # minds changed
    assert [call["story"].pk for call in announced[2:]] == [first.pk]
    assert notices() == [reply.pk]


def test_deleting_through_the_service_rebuilds_once_per_essay(thread, announced):
    first, second, _, _ = thread
    moderation.moderate(Comment.objects.filter(story=second), Comment.Status.APPROVED)
    announced.clear()
    moderation.delete(Comment.objects.filter(story__in=[first, second]))
    assert not Comment.objects.exists()
    assert sorted(call["story"].pk for call in announced) == [first.pk, second.pk]


def test_the_admins_change_form_is_a_surface_too(client, thread, announced):
    first, _, reply, _ = thread
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    announced.clear()

    def change(comment, status):
        url = f"/admin/comments/comment/{comment.pk}/change/"
        assert client.post(url, {"status": status, "photo": ""}).status_code == 302
        comment.refresh_from_db()

    change(reply, "approved")
    assert reply.status == "approved" and reply.trained_as == "ham"
    assert notices() == [reply.pk]
    assert [call["story"].pk for call in announced] == [first.pk]

    change(reply, "spam")
    assert reply.trained_as == "spam" and Totals.objects.get().spam == 1
    assert len(announced) == 2 and notices() == [reply.pk]
