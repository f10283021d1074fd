"""An optional second opinion from an Akismet-compatible service, asked from a background job.

Only when FILMSTRIP_AKISMET_KEY is set. A comment that would be published waits (pending, with
the reason) until the service has answered; an unreachable service leaves it for the author.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings as django_settings

from filmstrip.conf import settings
from filmstrip.stories import publishing

from .models import Comment

logger = logging.getLogger(__name__)
WAITING = "waiting for the Akismet check"
TIMEOUT_SECONDS = 5


def enabled() -> bool:
    return bool(settings.AKISMET_KEY)


def _ask(comment: Comment) -> bool | None:
    """True for spam, False for not spam, None if the service gave no usable answer."""
    fields = {
        "api_key": settings.AKISMET_KEY,
        "blog": django_settings.SITE_URL,
        "user_ip": comment.ip_address or "",
        "user_agent": comment.user_agent,
        "permalink": f"{django_settings.SITE_URL}{comment.story.get_absolute_url()}",
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body,
    }
    endpoint = f"{settings.AKISMET_URL.rstrip('/')}/1.1/comment-check"
    if not endpoint.startswith(("https://", "http://")):
        logger.warning("FILMSTRIP_AKISMET_URL must be an http(s) URL; not checking")
        return None
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        endpoint,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"User-Agent": "Filmstrip"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(64).decode(errors="replace").strip()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        logger.warning("Akismet check for comment %s failed: %s", comment.pk, exc)
        return None
    return {"true": True, "false": False}.get(answer)


def settle(comment: Comment) -> bool:
    """Resolve a comment held for the check: spam, published, or left to the author.

    Returns False when someone decided in the meantime (the writer deleted it, the author
    moderated it); their decision stands.
    """
    if WAITING not in comment.moderation_reasons:
        return True
    verdict = _ask(comment)
    reasons = [r for r in comment.moderation_reasons if r != WAITING]
    if verdict is True:
        comment.status, reasons = Comment.Status.SPAM, [*reasons, "Akismet: spam"]
    elif verdict is False:
        comment.status = Comment.Status.PENDING if reasons else Comment.Status.APPROVED
    else:
        reasons.append("Akismet did not answer; left for you to decide")
    comment.moderation_reasons = reasons
    # Only if the comment is still as the check found it: the call took seconds.
    settled = bool(
        Comment.objects.filter(
            pk=comment.pk, status=Comment.Status.PENDING, moderation_reasons=[WAITING]
        ).update(status=comment.status, moderation_reasons=reasons)
    )
    if settled and comment.status == Comment.Status.APPROVED:
        publishing.discussion_changed([comment.story_id])
    return settled
