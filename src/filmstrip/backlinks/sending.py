"""Telling the pages an essay links to that it does: Webmention where offered, else Pingback.

Run by a job whenever an essay is published or changed. Each page linked from the intro, the
licence, the text passages or the captions is notified once per version of the essay: a
re-publication that changed nothing sends nothing, a changed essay notifies again (as the
Webmention Recommendation asks, so receivers see edits), and a page whose link was removed is
notified once more so its site can notice the link is gone. Nothing is sent while the site's
own address is not on the public web: the receivers could not fetch the essay to check it.
"""

import hashlib
import logging
import time
import xmlrpc.client
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.utils import timezone

from filmstrip.columns import clip
from filmstrip.conf import filmstrip_settings
from filmstrip.siteurl import absolute
from filmstrip.stories.models import Story

from . import pingback
from .fetch import FetchError, Forbidden, fetch, vetted_addresses
from .links import endpoint, host_port, outbound_links
from .models import SentMention, url_key
from .network import parse_networks
from .targets import site_hosts

logger = logging.getLogger(__name__)
ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
REMOVED = "removed"  # the digest of a page told that the essay no longer links to it


@dataclass
class Outcome:
    protocol: str
    endpoint: str = ""
    status_code: int | None = None
    result: str = ""
    settled: bool = True  # False: a passing failure, tried again when the essay next changes


@dataclass
class SendResult:
    notified: int = 0  # pages dealt with for this version (told, or found to take no notices)
    unchanged: int = 0
    failed: int = 0
    not_sent_because: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def essay_url(story: Story) -> str:
    return absolute(story.get_absolute_url())


def _fragments(story: Story) -> list[str]:
    fragments = [story.intro_html, story.licence_html]
    for body, caption in story.items.values_list("body_html", "caption_html"):
        fragments += [body, caption]
    return [fragment for fragment in fragments if fragment]


def _digest(story: Story, fragments: list[str]) -> str:
    content = "\n\0".join([story.title, essay_url(story), *fragments])
    return hashlib.sha256(content.encode()).hexdigest()


def site_not_public() -> str:
    """Why receivers could not reach this site's pages (empty when they could)."""
    host = host_port(django_settings.SITE_URL)
    if host is None:
        return "FILMSTRIP_SITE_URL is not a valid URL"
    deadline = time.monotonic() + filmstrip_settings.FETCH_TIMEOUT_SECONDS
    try:
        vetted_addresses(
            host[0], host[1], deadline, parse_networks(filmstrip_settings.FETCH_ALLOW_NETWORKS)
        )
    except FetchError as exc:
        return f"FILMSTRIP_SITE_URL is not on the public web: {exc}"
    return ""


def send_for_story(story_id: int) -> SendResult:
    """Notify every page the essay links to (or stopped linking to) that has not heard of this
    version of it; record each notice."""
    story = Story.objects.filter(pk=story_id).first()
    if story is None or not story.is_published:
        return SendResult(not_sent_because="the essay is not published")
    if not filmstrip_settings.BACKLINKS_SEND:
        return SendResult(not_sent_because="FILMSTRIP_BACKLINKS_SEND is off")
    reason = site_not_public()
    if reason:
        logger.info("Not notifying the pages “%s” links to: %s", story, reason)
        return SendResult(not_sent_because=reason)
    fragments = _fragments(story)
    digest = _digest(story, fragments)
    source = essay_url(story)
    linked = outbound_links(fragments, site_hosts())
    previous = {notice.target: notice for notice in story.sent_mentions.all()}
    removed = [target for target, notice in previous.items() if target not in linked]
    result = SendResult()
    for target in linked + removed:
        notice, gone = previous.get(target), target in removed
        settled_as = REMOVED if gone else digest
        if notice and notice.content_digest == settled_as:
            result.unchanged += 1
            continue
        if gone and notice is not None and not notice.protocol:  # a removed one was sent
            outcome = Outcome("", result="No longer linked; it took no notices.")
        else:
            outcome = notify(source, target)
        SentMention.objects.update_or_create(
            story=story,
            target_key=url_key(target),
            defaults={
                "target": target,
                "protocol": outcome.protocol,
                "endpoint": outcome.endpoint,
                "status_code": outcome.status_code,
                "result": clip(SentMention, "result", outcome.result),
                "content_digest": settled_as if outcome.settled else "",
                "sent_at": timezone.now(),
            },
        )
        if outcome.settled:
            result.notified += 1
        else:
            result.failed += 1
    return result


def notify(source: str, target: str) -> Outcome:
    """Discover ``target``'s endpoint and send it a notice that ``source`` links to it."""
    try:
        page = fetch(target, headers={"Accept": ACCEPT})
    except Forbidden as exc:  # it will not be allowed next time either
        return Outcome("", result=f"Target not fetched: {exc}")
    except FetchError as exc:
        return Outcome("", result=f"Target not fetched: {exc}", settled=False)
    found = {
        protocol: endpoint(
            page.url, page.headers, page.content, page.content_type, protocol, page.charset
        )
        for protocol in ("webmention", "pingback")
    }
    if found["webmention"]:
        return _send_webmention(found["webmention"], source, target)
    if found["pingback"]:
        return _send_pingback(found["pingback"], source, target)
    return Outcome("", status_code=page.status, result="No Webmention or Pingback endpoint.")


def _send_webmention(url: str, source: str, target: str) -> Outcome:
    body = urlencode({"source": source, "target": target}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        answer = fetch(url, method="POST", body=body, headers=headers, follow_redirects=False)
    except FetchError as exc:
        settled = isinstance(exc, Forbidden)
        return Outcome("webmention", url, result=f"Not sent: {exc}", settled=settled)
    status = answer.status
    text = " ".join(answer.text[:200].split())
    if 200 <= status < 300:
        result = f"Accepted ({status})"
    else:
        result = f"Refused ({status}): {text}" if text else f"Refused ({status})"
    settled = status < 500 and status != 429
    return Outcome("webmention", url, status, result, settled)


def _send_pingback(url: str, source: str, target: str) -> Outcome:
    headers = {"Content-Type": "text/xml"}
    try:
        answer = fetch(url, method="POST", body=pingback.call(source, target), headers=headers)
    except FetchError as exc:
        settled = isinstance(exc, Forbidden)
        return Outcome("pingback", url, result=f"Not sent: {exc}", settled=settled)
    if answer.status != 200:
        return Outcome("pingback", url, answer.status, f"HTTP {answer.status}", answer.status < 500)
    try:
        value = pingback.parse_response(answer.content)
    except xmlrpc.client.Fault as fault:
        result = f"Fault {fault.faultCode}: {fault.faultString}"
        return Outcome("pingback", url, answer.status, result)
    except Exception:  # not XML-RPC at all: record it, do not retry
        return Outcome("pingback", url, answer.status, "The answer is not XML-RPC.")
    return Outcome("pingback", url, answer.status, f"Accepted: {str(value)[:200]}")
