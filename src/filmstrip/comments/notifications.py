"""E-mails about comments: the author hears of held comments, commenters of replies.

Sent from a background job, never inside the request that posted the comment. Messages are plain
text, so nothing a commenter typed can become markup; names stay out of the headers.

However often a comment is edited, it is the subject of one e-mail per spell of edits, and no
address gets more than FILMSTRIP_COMMENTS_MAILS_PER_HOUR: past that, held comments just wait,
and one summary an hour later says how many (:func:`notify_waiting`).
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from filmstrip.conf import filmstrip_settings
from filmstrip.limits.counters import take
from filmstrip.siteurl import absolute

from .models import Comment

logger = logging.getLogger(__name__)
HOUR = timedelta(hours=1)

_UNSUBSCRIBE_SALT = "filmstrip.comments.unsubscribe"


def unsubscribe_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=_UNSUBSCRIBE_SALT)


def comment_for_unsubscribe(token: str) -> Comment | None:
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first()


def _moderators(story) -> list[str]:
    if story.author_id and story.author.email:
        return [story.author.email]
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return list(staff.values_list("email", flat=True))


def _spell() -> timedelta:
    """How long one e-mail about a comment covers its edits: at least its editing window."""
    return max(HOUR, timedelta(minutes=filmstrip_settings.COMMENTS_EDIT_MINUTES))


def _under_ceiling(address: str) -> bool:
    """Count one e-mail to ``address``, unless it has had its hourly share."""
    return take(f"comment-mail:{address.lower()}", filmstrip_settings.COMMENTS_MAILS_PER_HOUR, HOUR)


def waiting_for(address: str):
    """Held comments on the essays ``address`` moderates (see :func:`_moderators`)."""
    mine = Q(story__author__email__iexact=address)
    users = get_user_model().objects
    if users.filter(is_staff=True, is_active=True, email__iexact=address).exists():
        mine |= Q(story__author__isnull=True) | Q(story__author__email="")
    return Comment.objects.pending().filter(mine)


def _comments(count: int) -> str:
    return f"{count} comment{'' if count == 1 else 's'}"


def _others_waiting(address: str, comment: Comment) -> str:
    others = waiting_for(address).exclude(pk=comment.pk).count()
    if not others:
        return ""
    return f"\n{_comments(others)} more {'is' if others == 1 else 'are'} waiting for you too.\n"


def notify_author(comment: Comment) -> int:
    """Tell the essay's author a comment waits for them; returns messages sent."""
    from .tasks import send_waiting_summary

    recipients = _moderators(comment.story)
    if comment.status != Comment.Status.PENDING or not recipients:
        return 0
    if not take(f"comment-held-mail:{comment.pk}", 1, _spell()):
        return 0  # edited again: the author already has an e-mail pointing at it
    reasons = "; ".join(comment.moderation_reasons) or "held for moderation"
    sent = 0
    for recipient in recipients:
        if not _under_ceiling(recipient):
            # It waits in moderation all the same; one summary later tells of it.
            if take(f"comment-summary:{recipient.lower()}", 1, HOUR):
                send_waiting_summary.using(run_after=timezone.now() + HOUR).enqueue(recipient)
            logger.info("Hourly e-mail ceiling reached for a moderator; comment %s", comment.pk)
            continue
        body = (
            f"A comment on “{comment.story.title}” is waiting for you ({reasons}).\n\n"
            f"From: {comment.author_name}\n\n{comment.body}\n\n"
            f"Approve, reject or answer it in the studio: "
            f"{absolute(reverse('studio:desk'))}#held-comment-{comment.pk}\n"
            f"{_others_waiting(recipient, comment)}"
        )
        subject = f"New comment {Comment.Status.PENDING.label}: {comment.story.title}"
        sent += send_mail(subject, body, None, [recipient])
    return sent


def notify_waiting(address: str) -> int:
    """The summary after a flood: how many comments wait for ``address``, if any still do."""
    waiting = waiting_for(address).count()
    if not waiting:
        return 0
    ceiling = filmstrip_settings.COMMENTS_MAILS_PER_HOUR
    body = (
        f"{_comments(waiting)} {'is' if waiting == 1 else 'are'} waiting for you. More than "
        f"{ceiling} arrived within an hour, so not each of them had its own e-mail.\n\n"
        f"Approve or reject them in the studio: {absolute(reverse('studio:desk'))}\n"
    )
    subject = f"{_comments(waiting)} {Comment.Status.PENDING.label}"
    return send_mail(subject, body, None, [address])


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
        or not take(f"comment-reply-mail:{reply.pk}", 1, _spell())  # edited: told already
        or not _under_ceiling(parent.author_email)
    ):
        return 0
    unsubscribe = absolute(reverse("comments:unsubscribe", args=[unsubscribe_token(parent)]))
    body = (
        f"{reply.author_name} replied to your comment on “{reply.story.title}”:\n\n"
        f"{reply.body}\n\n"
        f"Read it: {absolute(reply.story.get_absolute_url())}#{reply.anchor}\n\n"
        f"No more e-mails about replies to this comment: {unsubscribe}\n"
    )
    return send_mail(
        f"A reply to your comment on {reply.story.title}", body, None, [parent.author_email]
    )
