"""Background jobs of the comments app."""

from django_tasks import task

from . import akismet, notifications
from .models import Comment


@task()
def send_notifications(comment_id: int) -> int:
    comment = (
        Comment.objects.select_related("story__author", "parent").filter(pk=comment_id).first()
    )
    if comment is None:
        return 0
    if not akismet.settle(comment):
        return 0
    return notifications.notify_author(comment) + notifications.notify_reply(comment)


@task()
def send_reply_notice(comment_id: int) -> int:
    """A held reply the author has just approved: now its parent's writer may hear of it."""
    comment = Comment.objects.select_related("story", "parent").filter(pk=comment_id).first()
    return notifications.notify_reply(comment) if comment else 0


@task()
def send_waiting_summary(address: str) -> int:
    """After the hourly e-mail ceiling was reached: how many comments wait for ``address``."""
    return notifications.notify_waiting(address)
