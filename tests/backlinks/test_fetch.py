"""The outbound guard against real servers on loopback: what it fetches, and what it refuses.

Name lookups are the one edge replaced here (no DNS server of ours exists): a stand-in for
``socket.getaddrinfo`` answers for made-up names, to show rebinding and mixed answers fail.
"""

import socket
import time

import pytest

from filmstrip.backlinks.fetch import FetchError, Forbidden, fetch

from .conftest import Page


def test_an_exempted_loopback_page_is_fetched(site, loopback_allowed):
    url = site.page("/post", Page("<p>hello</p>", headers={"Content-Type": "text/html"}))
    response = fetch(url)
    assert (response.status, response.content, response.truncated) == (200, b"<p>hello</p>", False)
    assert response.url == url and response.content_type == "text/html"
    assert site.requests[0].headers["Host"] == f"127.0.0.1:{site.port}"
    assert site.requests[0].headers["User-Agent"].startswith("Filmstrip")


def test_posting_sends_the_body(site, loopback_allowed):
    url = site.page("/endpoint", Page("ok", status=202))
    response = fetch(url, method="POST", body=b"source=a&target=b")
    assert response.status == 202
    assert site.requests[0].method == "POST" and site.requests[0].form == {
        "source": "a",
        "target": "b",
    }


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "2130706433",  # 127.0.0.1 as one number
        "0x7f000001",
        "127.1",
    ],
)
def test_loopback_in_any_spelling_is_refused_without_the_exemption(site, settings, host):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ()
    site.page("/post", "secret")
    with pytest.raises(Forbidden, match="loopback"):
        fetch(f"http://{host}:{site.port}/post")
    assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.0.1:8080/",
        "http://172.16.5.4/",
        "http://100.64.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_private_and_metadata_addresses_are_refused_before_connecting(url, settings):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    started = time.monotonic()
    with pytest.raises(Forbidden, match="is not fetched"):
        fetch(url)
    assert time.monotonic() - started < 0.5  # refused, not tried and timed out


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "gopher://x/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(Forbidden, match="Only http and https"):
        fetch(url)


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.0.0.1/admin",
        "http://127.0.0.2:{port}/secret",  # loopback, but not the exempted address
        "http://[::ffff:10.0.0.1]/",
        "file:///etc/passwd",
    ],
)
def test_redirects_to_forbidden_places_are_refused(site, loopback_allowed, location):
    location = location.format(port=site.port)
    url = site.page("/go", Page(status=302, headers={"Location": location}))
    with pytest.raises(Forbidden):
        fetch(url)
    assert [r.path for r in site.requests] == ["/go"]


def test_redirects_are_followed_to_a_limit(site, loopback_allowed, settings):
    site.page("/a", Page(status=301, headers={"Location": "/b"}))
    site.page("/b", Page(status=307, headers={"Location": site.url("/c")}))
    site.page("/c", "arrived")
    response = fetch(site.url("/a"))
    assert response.content == b"arrived" and response.url == site.url("/c")
    site.page("/loop", Page(status=302, headers={"Location": "/loop"}))
    with pytest.raises(FetchError, match="More than 5 redirects"):
        fetch(site.url("/loop"))
    assert len(site.requests) == 3 + 6


def test_a_huge_page_is_read_only_up_to_the_limit(site, loopback_allowed, settings):
    settings.FILMSTRIP_FETCH_MAX_BYTES = 1024 * 1024
    url = site.page("/huge", Page(size=50 * 1024 * 1024))
    response = fetch(url)
    assert response.truncated and len(response.content) == 1024 * 1024


def test_a_server_that_never_answers_is_given_up_on(site, loopback_allowed):
    url = site.page("/hang", Page(hang=True))
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within 1 s"):
        fetch(url)
    assert time.monotonic() - started < 2.5


def test_a_page_sent_a_byte_at_a_time_is_given_up_on_at_the_deadline(site, loopback_allowed):
    url = site.page("/drip", Page(drip=True))
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within 1 s"):
        fetch(url)
    assert time.monotonic() - started < 2.5


@pytest.fixture
def dns(monkeypatch):
    """Made-up names: ``dns["name"] = [address, …]`` answered in turn (one list per lookup)."""
    answers, real = {}, socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        current = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        if current == "slow":
            time.sleep(3)
            current = ["8.8.8.8"]
        family = socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, port)) for a in current]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_dns_rebinding_gains_nothing_the_vetted_address_is_used(site, loopback_allowed, dns):
    # First answer: the (exempted) loopback server; any later lookup would say 10.0.0.1.
    dns["rebind.example"] = [["127.0.0.1"], ["10.0.0.1"]]
    site.page("/", "fine")
    response = fetch(f"http://rebind.example:{site.port}/")
    assert response.content == b"fine"
    assert site.requests[0].headers["Host"] == f"rebind.example:{site.port}"
    assert dns["rebind.example"] == [["10.0.0.1"]]  # looked up once; that answer never asked for


def test_a_name_with_any_private_address_is_refused(site, loopback_allowed, dns):
    dns["mixed.example"] = [["8.8.8.8", "10.0.0.1"]]
    with pytest.raises(Forbidden, match="10.0.0.1 is a private address"):
        fetch("http://mixed.example/")


def test_a_slow_name_lookup_counts_against_the_time_limit(loopback_allowed, dns):
    dns["slow.example"] = ["slow"]
    started = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetch("http://slow.example/")
    assert time.monotonic() - started < 2
