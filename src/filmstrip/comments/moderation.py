"""What a moderation decision does, whichever surface makes it.

The admin's actions and change form call these functions, and so must any other place that
moderates (a studio page, a job): comments and links back are approved, marked as spam, trashed
or deleted here, not by updating their status. A decision on comments also teaches the spam
filter (approved is good, spam is spam) and lets the writer of a held reply's parent hear of it,
now that it is public. However many rows one decision touches, each essay whose readers see a
difference is rebuilt once.
"""

from django.db import transaction

from filmstrip.stories import publishing

from . import classifier
from .models import Comment
from .tasks import send_reply_notice

LESSONS = {Comment.Status.APPROVED: "ham", Comment.Status.SPAM: "spam"}


def essays_changing(rows, status) -> set[int]:
    """The essays whose readers see a difference once ``rows`` (comments or links back) have
    ``status``: where an approved row goes, or a row becomes approved."""
    shown = rows.model.Status.APPROVED
    changing = rows.exclude(status=status)
    if status != shown:
        changing = changing.filter(status=shown)
    return set(changing.values_list("story_id", flat=True))


def moderate(comments, status) -> int:
    """The author's decision on the ``comments`` queryset: each gets ``status``, with all that
    follows from it. Returns how many."""
    lesson = LESSONS.get(status)
    with transaction.atomic():
        stories = essays_changing(comments, status)
        count = 0
        for comment in comments:
            held = comment.status == Comment.Status.PENDING
            comment.status = status
            comment.save(update_fields=["status"])
            classifier.learn(comment, lesson)
            if held and status == Comment.Status.APPROVED and comment.parent_id:
                send_reply_notice.enqueue(comment.pk)  # the reply is public only now
            count += 1
        publishing.discussion_changed(stories)
    return count


def set_status(rows, status) -> int:
    """Give every row of a queryset of links back (or of any moderated model with nothing more
    to it) ``status``. Returns how many."""
    with transaction.atomic():
        stories = essays_changing(rows, status)
        count = rows.update(status=status)
        publishing.discussion_changed(stories)
    return count


def delete(rows) -> None:
    """Delete a queryset of comments or links back for good."""
    shown = rows.filter(status=rows.model.Status.APPROVED)
    with transaction.atomic():
        stories = set(shown.values_list("story_id", flat=True))
        rows.delete()
        publishing.discussion_changed(stories)
