"""Every address the site answers, asked with hostile path values: never a server error.

The patterns come from the URL resolver itself, so a view added later is swept too.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

# Already percent-encoded, as a client would send them.
HOSTILE = {
    "nul": "a%00b",
    "long": "x" * 5000,
    "not-utf-8": "%ff%fe%c0%ae",
    "dot-dot": "..",
    "climb": "../../../etc/passwd",
    "huge-number": "9" * 40,
}
_PARAM = re.compile(r"<(?:[^>:]+:)?[^>]+>|\(\?P<[^>]+>[^)]*\)|\([^)]*\)")


def routes(patterns=None, prefix=""):
    """Every pattern's route as text, from the resolver (regex patterns crudely)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


QUERY = "?q=a%00b&page=%ff%fe&o=" + "9" * 40 + "&p=" + "x" * 5000


def addresses(route: str) -> list[str]:
    """The route as it is, with every parameter (or else its end) replaced by each hostile
    value, and with a hostile query string."""
    plain = "/" + _PARAM.sub("x", route)
    if not _PARAM.search(route):
        hostile = ["/" + route + value for value in HOSTILE.values()]
    else:
        hostile = ["/" + _PARAM.sub(value, route) for value in HOSTILE.values()]
    return [plain, plain + QUERY, *hostile]


def test_the_sweep_covers_the_site():
    found = set(routes())
    assert len(found) > 100
    assert {"media/r/<path:name>", "studio/<int:pk>/delete", "<str:slug>/"} <= found


@pytest.fixture
def staff():
    return User.objects.create_superuser("root", "root@example.org", "pw")


@pytest.mark.parametrize("route", sorted(set(routes())))
def test_hostile_paths_never_cause_a_server_error(route, staff):
    publishing.publish(Story.objects.create(title="Fields", author=staff))
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)
    for path in addresses(route):
        for client in (anonymous, signed_in):
            client.raise_request_exception = False
            for method in (client.get, client.post):
                status = method(path).status_code
                assert status < 500, (method.__name__, path[:200], status)
