"""Password guessing at the admin login, slowed to a crawl (django-axes, configured here).

Failures are counted three ways, each with its own ceiling within the cool-off window: one login
name from one address (a person mistyping, or one guesser), one login name from every address
together (a guesser spreading over many addresses), and one address over every login name (one
guesser trying many names). Reaching any ceiling refuses that way in until the cool-off has
passed since the last failure; each refused attempt starts the cool-off again. A refused attempt
costs no password hash, so a flood of guesses no longer costs a CPU each.
"""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.db.models import Sum
from django.shortcuts import render

from filmstrip.conf import filmstrip_settings
from filmstrip.limits import clients


def _ceiling(parameters) -> int:
    """The ceiling for one way of counting in AXES_LOCKOUT_PARAMETERS (project settings)."""
    if isinstance(parameters, list) and len(parameters) > 1:  # one login name from one address
        return filmstrip_settings.LOGIN_FAILURES_PER_ADDRESS
    return filmstrip_settings.LOGIN_FAILURES_PER_ACCOUNT


def cool_off(request=None) -> timedelta:
    return timedelta(seconds=filmstrip_settings.LOGIN_COOLOFF_SECONDS)


def client_address(request) -> str | None:
    """The address failures are counted against: the reader's, not a trusted proxy's (or one
    guesser would lock every author out), and for IPv6 the first address of its /64, which
    stands for the whole network a subscriber may hop around in."""
    bucket = clients.limit_key(clients.client_address(request))
    return bucket.partition("/")[0] if bucket else None


def login_name(request, credentials=None) -> str | None:
    """The login name failures are counted against, as the backends match it: allauth's takes
    any capitalisation, so "Admin" and "ADMIN" must count as "admin" or each spelling would get
    ceilings of its own."""
    source = credentials if credentials else getattr(request, "POST", {})
    name = source.get("username") if source else None
    return name.strip().casefold() if isinstance(name, str) else name


class LockoutBackend(AxesStandaloneBackend):
    """Refuses paused logins before any password is hashed (first in AUTHENTICATION_BACKENDS).

    A sign-in without a request comes from code on the server (a test's client.login, a shell),
    never from a reader, so it has no address to count and is let through to the next backend."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginLockout(AxesDatabaseHandler):
    """Axes' database handler with a ceiling of its own for each way of counting failures."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one number with one limit: report the limit once any way of counting
        # has reached its own ceiling, and otherwise how close the nearest one is.
        limit = get_failure_limit(request, credentials)
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        ways = get_lockout_parameters(request, credentials)
        if any(n >= _ceiling(way) for n, way in zip(counts, ways, strict=True)):
            return limit
        return min(max(counts, default=0), limit - 1)


def lockout_page(request, original_response=None, credentials=None):
    """What a refused login sees (429): why, and for how long, in the sign-in page's look."""
    minutes = max(1, round(filmstrip_settings.LOGIN_COOLOFF_SECONDS / 60))
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
