"""Taking a link back in: the cheap checks, then one row and its verification job, together.

Webmention and Pingback both come here. Only what needs no network is checked now (two web
URLs, not the same, the target one of our published essays or photos); whether the source
really links here is found out by the job (:mod:`.verification`).
"""

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from filmstrip.columns import width
from filmstrip.conf import filmstrip_settings
from filmstrip.limits.clients import limit_key
from filmstrip.limits.counters import take
from filmstrip.stories import publishing

from .links import normalise
from .models import Backlink, url_key
from .network import parse_networks, refusal
from .pingback import Fault
from .targets import UnknownTarget, UnusableTarget, resolve_target
from .tasks import is_waiting, verify_backlink

MAX_URL = width(Backlink, "source")


class Refused(Exception):
    """Not taken in; ``message`` tells the sender why, ``fault`` is its Pingback code and
    ``status`` the HTTP status a Webmention sender gets."""

    def __init__(self, message: str, fault: Fault = Fault.GENERIC, status: int = 400):
        super().__init__(message)
        self.message, self.fault, self.status = message, fault, status


def web_url(value: str, name: str, fault: Fault) -> str:
    value = (value or "").strip()
    if not value:
        raise Refused(f"The {name} URL is missing.", fault)
    if len(value) > MAX_URL:
        raise Refused(f"The {name} URL is longer than {MAX_URL} characters.", fault)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        raise Refused(f"The {name} URL is not a valid URL.", fault) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"The {name} must be an absolute http or https URL.", fault)
    if any(ord(char) < 0x21 for char in value):
        raise Refused(f"The {name} URL contains spaces or control characters.", fault)
    return value


def check_source_host(source: str) -> None:
    """Refuse, without any name lookup, a source on this machine or a private network."""
    host = urlsplit(source).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a name: the job looks it up, and its fetch refuses a private address
    reason = refusal(address, parse_networks(filmstrip_settings.FETCH_ALLOW_NETWORKS))
    if reason:
        raise Refused(f"The source is not on the public web ({reason}).", Fault.ACCESS_DENIED)


def check_flood(sender_ip: str | None) -> None:
    """Each notice may cost a fetch: one network (IPv6: one /64) may send only so many in ten
    minutes, sending the same one again included."""
    limit = filmstrip_settings.BACKLINKS_PER_IP_PER_10_MINUTES
    network = limit_key(sender_ip)
    if network is None or limit is None:
        return
    if not take(f"backlinks:{network}", limit, timedelta(minutes=10)):
        raise Refused(
            f"More than {limit} notices from your address in ten minutes; try again later.",
            Fault.ACCESS_DENIED,
            status=429,
        )


def receive(source, target, *, kind, hosts, sender_ip=None) -> Backlink:
    """Record that ``source`` says it links to ``target`` and queue the check; or Refused."""
    check_flood(sender_ip)
    source = web_url(source, "source", Fault.SOURCE_MISSING)
    target = web_url(target, "target", Fault.TARGET_UNUSABLE)
    if normalise(source) == normalise(target):
        raise Refused("The source and the target are the same URL.")
    check_source_host(source)
    try:
        found = resolve_target(target, hosts)
    except UnknownTarget as exc:
        raise Refused(str(exc), Fault.TARGET_MISSING) from None
    except UnusableTarget as exc:
        raise Refused(str(exc), Fault.TARGET_UNUSABLE) from None
    try:
        return _store(source, target, kind, found, sender_ip)
    except IntegrityError:
        return _store(source, target, kind, found, sender_ip)  # the same pair, sent at once


def _store(source, target, kind, found, sender_ip) -> Backlink:
    with transaction.atomic():
        rows = Backlink.objects.select_for_update()
        backlink = rows.filter(pair_key=url_key(source, target)).first()
        if backlink is None:
            backlink = Backlink(source=source, target=target)
        elif kind == Backlink.Kind.PINGBACK and backlink.verification in (
            Backlink.Check.QUEUED,
            Backlink.Check.VERIFIED,
        ):
            raise Refused("This pingback is already registered.", Fault.ALREADY_REGISTERED)
        shown = backlink.as_shown
        # Sent again (a Webmention after an edit or a deletion): the same row, checked anew.
        backlink.kind, backlink.story, backlink.photo = kind, found.story, found.photo
        backlink.verification = Backlink.Check.QUEUED
        backlink.verification_note = ""
        backlink.received_at = timezone.now()
        backlink.sender_ip = sender_ip
        backlink.save()
        if shown:  # hidden until the check finds it again
            publishing.discussion_changed([shown[0]])
        if not is_waiting(verify_backlink, backlink.pk):  # one check waiting covers re-sends
            verify_backlink.enqueue(backlink.pk)
    return backlink
