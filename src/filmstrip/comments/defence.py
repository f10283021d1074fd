"""Spam and abuse defence without third parties: signed timestamps, honeypot, limits."""

import time
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from filmstrip.conf import settings

from .models import Comment, same_commenter

HONEYPOT_FIELD = "homepage"  # hidden from people; bots fill every field they find
_SALT = "filmstrip.comments.form"


class Rejected(Exception):
    """A comment refused before it was stored; the message can be shown to the writer."""


def issue_token(story, now: float | None = None) -> str:
    """A token bound to the essay and the moment the form was handed out."""
    issued = int(time.time() if now is None else now)
    return signing.dumps({"story": story.pk, "issued": issued}, salt=_SALT, compress=True)


def check_token(token: str, story, now: float | None = None) -> None:
    """Refuse forms from elsewhere, for another essay, filled too fast or kept too long."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature as exc:
        raise Rejected("This form was not issued by this site. Please reload the page.") from exc
    if data.get("story") != story.pk:
        raise Rejected("This form belongs to another essay. Please reload the page.")
    age = (time.time() if now is None else now) - data.get("issued", 0)
    if age > settings.COMMENTS_FORM_MAX_AGE:
        raise Rejected("This form is too old. Please reload the page and try again.")
    if age < settings.COMMENTS_MIN_SECONDS:
        raise Rejected("That was quicker than anyone can type. Please take a moment and resend.")


def check_limits(*, story, user=None, email: str, ip: str | None, body: str) -> None:
    """Refuse floods from one network address or one commenter, and the same text twice."""
    now = timezone.now()
    if ip:
        recent = Comment.objects.filter(ip_address=ip, created_at__gte=now - timedelta(minutes=10))
        if recent.count() >= settings.COMMENTS_PER_IP_PER_10_MINUTES:
            raise Rejected("Too many comments from your network just now. Please wait a while.")
    mine = Comment.objects.filter(same_commenter(user, email))
    if mine.filter(created_at__gte=now - timedelta(minutes=10)).count() >= (
        settings.COMMENTS_PER_IP_PER_10_MINUTES
    ):
        raise Rejected("Too many comments from you just now. Please wait a while.")
    if mine.filter(story=story, body=body).exists():
        raise Rejected("You have already posted this comment.")
