"""Behind a proxy or CDN, through a real HTTP client against `filmstrip serve`: whose address
counts, and the CDN told which pages a comment changed.

One server trusts 127.0.0.2 as its proxy. Requests sent from that source address play the proxy
(which appends the reader's address to X-Forwarded-For); requests from 127.0.0.1 play a reader
reaching the web process directly, who may write any X-Forwarded-For they like.
"""

import http.client
import http.cookies
import http.server
import json
import os
import subprocess
import threading
import time
import urllib.parse

import pytest

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.conftest import REPO

PROXY, DIRECT = "127.0.0.2", "127.0.0.1"
PASSWORD = "the-right-one"

SETUP = f"""
from django.contrib.auth import get_user_model
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
get_user_model().objects.create_user("ana", password="{PASSWORD}", is_staff=True)
story = Story.objects.create(title="Harbour", slug="harbour")
StoryItem.objects.create(story=story, position=0, kind="text", body="Low tide.")
publishing.publish(story)
story = Story.objects.create(title="Quay", slug="quay")
StoryItem.objects.create(story=story, position=0, kind="text", body="Ropes.")
publishing.publish(story)
"""


class FakeAkismet(http.server.BaseHTTPRequestHandler):
    """Akismet's comment check, and at /purge a CDN's purge hook (FILMSTRIP_PURGE_URL), which
    fetches each page it is told of again at once, as a CDN would."""

    received: list[dict] = []
    refetched: list[bytes] = []  # the essay "quay" as fetched after each purge naming it
    port = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/purge":
            if "/quay/" in json.loads(body)["paths"]:
                page = Client(FakeAkismet.port, DIRECT).request("GET", "/quay/")[1]
                FakeAkismet.refetched.append(page)
        else:
            FakeAkismet.received.append(dict(urllib.parse.parse_qsl(body.decode())))
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"false")

    def log_message(self, *args):
        pass


class Client:
    """One browser's worth of cookies, sending every request from ``source``."""

    def __init__(self, port: int, source: str, forwarded: str = ""):
        self.port, self.source, self.forwarded = port, source, forwarded
        self.cookies: dict[str, str] = {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.forwarded:
            headers["X-Forwarded-For"] = self.forwarded
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        data = response.read()
        connection.close()
        return response.status, data

    def sign_in(self, password: str) -> int:
        self.request("GET", "/admin/login/")
        fields = {"username": "ana", "password": password}
        fields["csrfmiddlewaretoken"] = self.cookies["csrftoken"]
        return self.request("POST", "/admin/login/?next=/admin/", fields)[0]

    def comment(self, body: str, essay: str = "harbour") -> int:
        status, data = self.request("GET", f"/comments/{essay}/form")
        assert status == 200, data
        tokens = json.loads(data)
        fields = {"name": "Bo", "email": "bo@example.org", "body": body, "token": tokens["token"]}
        fields["csrfmiddlewaretoken"] = tokens["csrf"]
        return self.request("POST", f"/comments/{essay}/post", fields)[0]


@pytest.fixture(scope="module")
def akismet():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def served(tmp_path_factory, akismet):
    env = {
        **os.environ,
        "FILMSTRIP_DATA_DIR": str(tmp_path_factory.mktemp("forwarded")),
        "FILMSTRIP_TRUSTED_PROXIES": PROXY,
        "FILMSTRIP_AKISMET_KEY": "test-key",
        "FILMSTRIP_AKISMET_URL": akismet,
        "FILMSTRIP_PURGE_URL": f"{akismet}/purge",
        "FILMSTRIP_COMMENTS_MIN_SECONDS": "0",
        "FILMSTRIP_COMMENTS_HOLD_FIRST": "false",
        "FILMSTRIP_LOGIN_FAILURES_PER_ADDRESS": "2",  # each attempt costs a real password hash
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FILMSTRIP_BEHIND_HTTPS_PROXY"):
        env.pop(name, None)
    subprocess.run([FILMSTRIP, "migrate", "--no-input"], env=env, check=True, cwd=REPO)
    subprocess.run([FILMSTRIP, "shell", "-c", SETUP], env=env, check=True, cwd=REPO)
    port = FakeAkismet.port = free_port()
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, env, ready_url=f"http://127.0.0.1:{port}/") as server:
        yield port, server


def akismet_saw(count: int) -> list[str]:
    deadline = time.monotonic() + 30
    while len(FakeAkismet.received) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return [sent["user_ip"] for sent in FakeAkismet.received]


def test_akismet_is_told_the_readers_address_never_a_spoofed_one(served):
    port, server = served
    FakeAkismet.received = []
    # Through the proxy: the reader wrote a left-most entry of their own, the proxy the real one.
    assert Client(port, PROXY, "10.66.0.1, 203.0.113.9").comment("Lovely light.") == 200
    assert akismet_saw(1) == ["203.0.113.9"], server.output()
    # Straight to the web process: whatever the header says, the address is the connection's.
    assert Client(port, DIRECT, "198.51.100.23").comment("The tide, too.") == 200
    assert akismet_saw(2) == ["203.0.113.9", DIRECT], server.output()


def test_the_cdn_is_told_of_the_page_an_approved_comment_changed(served):
    port, server = served
    assert Client(port, PROXY, "203.0.113.10").comment("Such calm water.", "quay") == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        b"Such calm water." in page for page in FakeAkismet.refetched
    ):
        time.sleep(0.1)
    # Told after the page had changed: the page fetched again then shows the comment.
    assert any(b"Such calm water." in page for page in FakeAkismet.refetched), server.output()


def test_password_guessing_is_counted_against_the_guesser_not_the_proxy(served):
    port, server = served
    guesser = Client(port, PROXY, "203.0.113.66")
    # Refused once with the form again; the second failure pauses the login.
    assert [guesser.sign_in("guess") for _ in range(2)] == [200, 429]
    assert guesser.sign_in(PASSWORD) == 429, server.output()
    # Another reader behind the same proxy is not paused by the guesser's failures.
    assert Client(port, PROXY, "198.51.100.4").sign_in(PASSWORD) == 302
    # Reaching the web process directly, a new X-Forwarded-For per guess buys no fresh count.
    guesses = [Client(port, DIRECT, f"192.0.2.{n}").sign_in("guess") for n in range(2)]
    assert guesses == [200, 429]
    assert Client(port, DIRECT, "192.0.2.200").sign_in(PASSWORD) == 429
