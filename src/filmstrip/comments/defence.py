"""Spam and abuse defence without third parties: signed timestamps, honeypot, limits."""

import hashlib
import secrets
import time
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from filmstrip.conf import filmstrip_settings
from filmstrip.limits.clients import limit_key
from filmstrip.limits.counters import take

from .models import Comment, same_commenter

HONEYPOT_FIELD = "homepage"  # hidden from people; bots fill every field they find
_SALT = "filmstrip.comments.form"
TEN_MINUTES = timedelta(minutes=10)


class Rejected(Exception):
    """A comment refused before it was stored; the message can be shown to the writer."""


def issue_token(story, now: float | None = None) -> str:
    """A token bound to the essay and the moment the form was handed out."""
    issued = int(time.time() if now is None else now)
    # A nonce: two pages loaded in the same second are two forms, each good for one comment.
    data = {"story": story.pk, "issued": issued, "n": secrets.token_urlsafe(6)}
    return signing.dumps(data, salt=_SALT, compress=True)


def check_token(token: str, story, now: float | None = None) -> None:
    """Refuse forms from elsewhere, for another essay, filled too fast or kept too long."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature as exc:
        raise Rejected("This form was not issued by this site. Please reload the page.") from exc
    if data.get("story") != story.pk:
        raise Rejected("This form belongs to another essay. Please reload the page.")
    age = (time.time() if now is None else now) - data.get("issued", 0)
    if age > filmstrip_settings.COMMENTS_FORM_MAX_AGE:
        raise Rejected("This form is too old. Please reload the page and try again.")
    if age < filmstrip_settings.COMMENTS_MIN_SECONDS:
        raise Rejected("That was quicker than anyone can type. Please take a moment and resend.")
    # One form, one comment: a token is worth a page load, which the other limits can count.
    used = f"comment-form:{hashlib.sha256(token.encode()).hexdigest()}"
    if not take(used, 1, timedelta(seconds=filmstrip_settings.COMMENTS_FORM_MAX_AGE)):
        raise Rejected("This form has been sent already. Please send it again from here.")


def check_limits(*, story, user=None, email: str, ip: str | None, body: str) -> None:
    """Refuse floods from one network (IPv6: one /64) or one commenter, and the same text twice."""
    mine = Comment.objects.filter(same_commenter(user, email))
    if mine.filter(created_at__gte=timezone.now() - TEN_MINUTES).count() >= (
        filmstrip_settings.COMMENTS_PER_IP_PER_10_MINUTES
    ):
        raise Rejected("Too many comments from you just now. Please wait a while.")
    if mine.filter(story=story, body=body).exists():
        raise Rejected("You have already posted this comment.")
    network = limit_key(ip)
    limit = filmstrip_settings.COMMENTS_PER_IP_PER_10_MINUTES
    if network and not take(f"comment:{network}", limit, TEN_MINUTES):
        raise Rejected("Too many comments from your network just now. Please wait a while.")


def check_edit_limits(comment: Comment, ip: str | None) -> None:
    """Each edit is judged, stored and may e-mail the author: only so many, per network and
    per comment."""
    network = limit_key(ip)
    per_network = filmstrip_settings.COMMENTS_EDITS_PER_IP_PER_10_MINUTES
    if network and not take(f"comment-edits:{network}", per_network, TEN_MINUTES):
        raise Rejected(
            "Too many edits from your network just now. Please wait a few minutes and save again."
        )
    per_comment = filmstrip_settings.COMMENTS_EDITS_PER_10_MINUTES
    if not take(f"comment-edit:{comment.pk}", per_comment, TEN_MINUTES):
        raise Rejected(
            f"This comment has been changed {per_comment} times in ten minutes. "
            "Please wait a few minutes and save again; your text is still here."
        )
