"""Which comments this browser wrote: a signed cookie, so a guest can edit for a short while,
and is recognised when they come back (:meth:`.policy.ModerationPolicy.knows`)."""

from datetime import timedelta

from django.core import signing
from django.utils import timezone

from filmstrip.conf import filmstrip_settings

from .models import Comment

COOKIE = "filmstrip_comments"
_SALT = "filmstrip.comments.own"
_KEEP = 20  # the newest comments remembered per browser
# Longer than the editing window, which is checked on each comment: a returning guest is known
# by an approved comment this browser posted, not by an e-mail address anyone can type.
_REMEMBER = timedelta(days=365)


def owned_ids(request) -> list[int]:
    try:
        ids = signing.loads(request.COOKIES.get(COOKIE, ""), salt=_SALT)
    except signing.BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember(response, request, comment: Comment) -> None:
    ids = ([comment.pk] + [i for i in owned_ids(request) if i != comment.pk])[:_KEEP]
    response.set_cookie(
        COOKIE,
        signing.dumps(ids, salt=_SALT),
        max_age=int(_REMEMBER.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def editable(request, story=None):
    """This browser's comments still inside the editing window (and not trashed)."""
    since = timezone.now() - timedelta(minutes=filmstrip_settings.COMMENTS_EDIT_MINUTES)
    comments = Comment.objects.filter(pk__in=owned_ids(request), created_at__gte=since)
    comments = comments.exclude(status__in=[Comment.Status.SPAM, Comment.Status.TRASH])
    return comments.filter(story=story) if story is not None else comments
