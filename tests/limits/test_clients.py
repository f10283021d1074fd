"""The client's address, table-driven: behind no proxy, behind trusted ones, and spoofed."""

import pytest
from django.test import RequestFactory

from filmstrip.limits.clients import client_address, limit_key

PROXIES = ("127.0.0.1", "10.0.0.0/8", "::1")


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # Not from a trusted proxy: the header is the client's own words and is ignored.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        ("2001:db8::5", None, "2001:db8::5"),
        # The proxy on this machine names the client it saw.
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("::1", "2001:db8:1:2::77", "2001:db8:1:2::77"),
        # A client that sends its own X-Forwarded-For: the proxy appends the real peer.
        ("127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "127.0.0.1, 10.9.9.9, 203.0.113.9", "203.0.113.9"),
        # Two trusted proxies: the right-most untrusted hop, never the left-most.
        ("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        # Ports, brackets and IPv4-mapped forms, as proxies write them.
        ("127.0.0.1", "203.0.113.9:52100", "203.0.113.9"),
        ("127.0.0.1", "[2001:db8::9]:443", "2001:db8::9"),
        ("::ffff:127.0.0.1", "::ffff:203.0.113.9", "203.0.113.9"),
        # Garbage where the client's address should be: the nearest trusted hop stands.
        ("127.0.0.1", "203.0.113.9, not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
        # Only proxies in the chain: the furthest one.
        ("127.0.0.1", "10.0.0.5, 10.0.0.6", "10.0.0.5"),
        ("", None, None),
    ],
)
def test_the_client_is_the_right_most_untrusted_hop(settings, remote, forwarded, client):
    settings.FILMSTRIP_TRUSTED_PROXIES = PROXIES
    assert address(remote, forwarded) == client


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.FILMSTRIP_TRUSTED_PROXIES = ()
    assert address("127.0.0.1", "203.0.113.9") == "127.0.0.1"


def test_a_malformed_trusted_proxy_is_a_clear_error(settings):
    settings.FILMSTRIP_TRUSTED_PROXIES = ("10.0.0.0/33",)
    with pytest.raises(ValueError, match="FILMSTRIP_TRUSTED_PROXIES"):
        address("127.0.0.1", "203.0.113.9")


@pytest.mark.parametrize(
    ("address_", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("", None),
        (None, None),
        ("nonsense", None),
    ],
)
def test_limits_count_ipv6_by_its_64(address_, key):
    assert limit_key(address_) == key


def test_allauth_counts_the_same_client_as_filmstrip(settings):
    """allauth's own rate limits ask its adapter: behind a trusted proxy it must not see every
    reader as the proxy, nor believe a header from anyone else."""
    from allauth.account.adapter import get_adapter

    settings.FILMSTRIP_TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    proxied = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    direct = factory.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert get_adapter(proxied).get_client_ip(proxied) == "203.0.113.9"
    assert get_adapter(direct).get_client_ip(direct) == "198.51.100.7"
