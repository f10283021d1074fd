"""The background check of a link back: fetch the source, look for the link, read its h-entry."""

import logging

from django.db import transaction
from django.utils import timezone

from filmstrip.columns import clip
from filmstrip.conf import filmstrip_settings
from filmstrip.stories import publishing

from .fetch import FetchError, fetch
from .links import HTML_TYPES, mentions, parse_html
from .microformats import Details, describe
from .models import Backlink
from .policy import BacklinkPolicy

logger = logging.getLogger(__name__)
ACCEPT = "text/html, application/xhtml+xml;q=0.9, text/*;q=0.5, */*;q=0.1"


def verify(backlink_id: int, policy: BacklinkPolicy | None = None) -> str:
    """Check one link back and record the outcome; returns the verification state."""
    backlink = Backlink.objects.filter(pk=backlink_id).first()
    if backlink is None:
        return "missing"
    check, note, details = _check(backlink)
    with transaction.atomic():
        backlink = Backlink.objects.select_for_update().get(pk=backlink_id)
        shown = backlink.as_shown
        backlink.verification = check
        backlink.verification_note = clip(Backlink, "verification_note", note)
        if check == Backlink.Check.VERIFIED:
            before = (backlink.title, backlink.author_name, backlink.author_url, backlink.excerpt)
            backlink.title, backlink.author_name = details.title, details.author_name
            backlink.author_url, backlink.excerpt = details.author_url, details.excerpt
            after = (backlink.title, backlink.author_name, backlink.author_url, backlink.excerpt)
            changed = backlink.verified_at is not None and after != before  # shown before
            backlink.verified_at = timezone.now()
            backlink.status = (policy or BacklinkPolicy()).decide(backlink, text_changed=changed)
        backlink.save()
        if shown != backlink.as_shown:
            publishing.discussion_changed([backlink.story_id, shown[0] if shown else None])
    logger.info("Link back %s from %s: %s %s", backlink.pk, backlink.source, check, note)
    return check


def _check(backlink: Backlink) -> tuple[str, str, Details]:
    try:
        response = fetch(backlink.source, headers={"Accept": ACCEPT})
    except FetchError as exc:
        return Backlink.Check.FAILED, str(exc), Details()
    if response.status in (404, 410):
        return Backlink.Check.DELETED, f"The source answers {response.status}.", Details()
    if not 200 <= response.status < 300:
        return Backlink.Check.FAILED, f"The source answered HTTP {response.status}.", Details()
    if response.truncated:
        limit = filmstrip_settings.FETCH_MAX_BYTES
        return Backlink.Check.FAILED, f"The source is larger than {limit} bytes.", Details()
    kind = response.content_type
    if not mentions(response.content, response.url, backlink.target, kind, response.charset):
        return Backlink.Check.REJECTED, "The source does not link to the target.", Details()
    details = Details()
    if kind in HTML_TYPES:
        try:
            details = describe(parse_html(response.content, response.charset), response.url)
        except Exception:  # a stranger's markup tripping the parser costs the excerpt only
            logger.exception("Could not read the microformats of %s", backlink.source)
    return Backlink.Check.VERIFIED, "", details
