"""E-mails about comments: the author hears of held comments, commenters of replies.

Sent from a background job, never inside the request that posted the comment. Messages are plain
text, so nothing a commenter typed can become markup; names stay out of the headers.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse

from .models import Comment

_UNSUBSCRIBE_SALT = "filmstrip.comments.unsubscribe"


def unsubscribe_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=_UNSUBSCRIBE_SALT)


def comment_for_unsubscribe(token: str) -> Comment | None:
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _moderators(story) -> list[str]:
    if story.author_id and story.author.email:
        return [story.author.email]
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return list(staff.values_list("email", flat=True))


def notify_author(comment: Comment) -> int:
    """Tell the essay's author a comment waits for them; returns messages sent."""
    recipients = _moderators(comment.story)
    if comment.status != Comment.Status.PENDING or not recipients:
        return 0
    reasons = "; ".join(comment.moderation_reasons) or "held for moderation"
    body = (
        f"A comment on “{comment.story.title}” is waiting for you ({reasons}).\n\n"
        f"From: {comment.author_name}\n\n{comment.body}\n\n"
        f"Approve or reject it: "
        f"{_absolute(reverse('admin:comments_comment_change', args=[comment.pk]))}\n"
    )
    return send_mail(
        f"New comment awaiting moderation: {comment.story.title}", body, None, recipients
    )


def notify_reply(reply: Comment) -> int:
    """Tell the parent's writer about an approved reply, if they asked to hear of replies."""
    parent = reply.parent
    if (
        parent is None
        or reply.status != Comment.Status.APPROVED
        or not parent.notify_replies
        or not parent.author_email
        or parent.author_email.lower() == reply.author_email.lower()
        or (parent.user_id is not None and parent.user_id == reply.user_id)
    ):
        return 0
    unsubscribe = _absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    body = (
        f"{reply.author_name} replied to your comment on “{reply.story.title}”:\n\n"
        f"{reply.body}\n\n"
        f"Read it: {_absolute(reply.story.get_absolute_url())}#{reply.anchor}\n\n"
        f"No more e-mails about replies to this comment: {unsubscribe}\n"
    )
    return send_mail(
        f"A reply to your comment on {reply.story.title}", body, None, [parent.author_email]
    )
