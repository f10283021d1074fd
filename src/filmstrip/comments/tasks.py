"""Background jobs of the comments app."""

from django_tasks import task

from . import akismet, notifications
from .models import Comment


@task()
def send_notifications(comment_id: int) -> int:
    comment = Comment.objects.select_related("story__author", "parent").filter(pk=comment_id)
    comment = comment.first()
    if comment is None:
        return 0
    if not akismet.settle(comment):
        return 0
    return notifications.notify_author(comment) + notifications.notify_reply(comment)
