"""An optional second opinion from an Akismet-compatible service, asked from a background job.

Only when FILMSTRIP_AKISMET_KEY is set. A comment that would be published waits (pending, with
the reason) until the service has answered; what its answer means is the moderation policy's.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings as django_settings

from filmstrip.conf import filmstrip_settings
from filmstrip.siteurl import absolute
from filmstrip.stories import publishing

from .models import Comment
from .policy import WAITING, AkismetVerdict, ModerationPolicy, site_policy

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5


def _ask(comment: Comment) -> AkismetVerdict:
    fields = {
        "api_key": filmstrip_settings.AKISMET_KEY,
        "blog": django_settings.SITE_URL,
        "user_ip": comment.ip_address or "",
        "user_agent": comment.user_agent,
        "permalink": absolute(comment.story.get_absolute_url()),
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body,
    }
    endpoint = f"{filmstrip_settings.AKISMET_URL.rstrip('/')}/1.1/comment-check"
    if not endpoint.startswith(("https://", "http://")):
        logger.warning("FILMSTRIP_AKISMET_URL must be an http(s) URL; not checking")
        return AkismetVerdict.SILENT
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
        return AkismetVerdict.SILENT
    verdicts = {"true": AkismetVerdict.SPAM, "false": AkismetVerdict.HAM}
    return verdicts.get(answer, AkismetVerdict.SILENT)


def settle(comment: Comment, policy: ModerationPolicy | None = None) -> bool:
    """Resolve a comment held for the check: spam, published, or left to the author.

    Returns False when someone decided in the meantime (the writer deleted it, the author
    moderated it); their decision stands.
    """
    if WAITING not in comment.moderation_reasons:
        return True
    verdict = _ask(comment)
    found = [r for r in comment.moderation_reasons if r != WAITING]
    decision = (policy or site_policy()).decide(found=found, akismet=verdict)
    comment.status, comment.moderation_reasons = decision.status, decision.reasons
    # Only if the comment is still as the check found it: the call took seconds.
    settled = bool(
        Comment.objects.filter(
            pk=comment.pk, status=Comment.Status.PENDING, moderation_reasons=[WAITING]
        ).update(status=decision.status, moderation_reasons=decision.reasons)
    )
    if settled and comment.status == Comment.Status.APPROVED:
        publishing.discussion_changed([comment.story_id])
    return settled
