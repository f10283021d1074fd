"""Other websites, for real: small HTTP servers on loopback that the backlinks code talks to."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import User

from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem


@dataclass
class Page:
    """What the server answers at a path: a status, headers and a body, or a misbehaviour."""

    body: bytes | str = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    hang: bool = False  # accept the connection, never answer
    drip: bool = False  # send headers, then one byte a while, forever
    size: int = 0  # a body of this many bytes, streamed


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    @property
    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


class Site:
    """``site.page(path, Page(...))`` to serve; ``site.url(path)``; ``site.requests`` seen."""

    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[Received] = []
        self.stop = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                site.requests.append(Received(self.command, self.path, dict(self.headers), body))
                page = site.pages.get(self.path) or Page(b"not here", status=404)
                if page.hang:
                    site.stop.wait(30)
                    return
                self.send_response(page.status)
                for name, value in page.headers.items():
                    for one in value if isinstance(value, list) else [value]:
                        self.send_header(name, one)
                if page.drip:
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    while not site.stop.is_set():
                        try:
                            self.wfile.write(b"x")
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(0.2)
                    return
                if page.size:
                    self.send_header("Content-Length", str(page.size))
                    self.end_headers()
                    chunk = b"<p>" + b"a" * 65_530 + b"</p>\n"
                    sent = 0
                    try:
                        while sent < page.size and not site.stop.is_set():
                            self.wfile.write(chunk[: page.size - sent])
                            sent += len(chunk)
                    except OSError:
                        site.broken_off = sent
                    return
                data = page.body.encode() if isinstance(page.body, str) else page.body
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_HEAD = _answer

        self.broken_off = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, page: Page | str) -> str:
        self.pages[path] = Page(page) if isinstance(page, str) else page
        return self.url(path)

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    """A website on loopback, reachable because the test exempts 127.0.0.1 from the guard."""
    s = Site()
    yield s
    s.close()


@pytest.fixture
def loopback_allowed(settings):
    settings.FILMSTRIP_FETCH_ALLOW_NETWORKS = ("127.0.0.1/32",)
    settings.FILMSTRIP_FETCH_TIMEOUT_SECONDS = 1


@pytest.fixture
def essay(db, settings):
    """A published essay with one photo item and one text passage, on photos.example.org."""
    settings.SITE_URL = "https://photos.example.org"
    author = User.objects.create_user("ann", "ann@example.org", "pw")
    story = Story.objects.create(title="A Half Marathon in Pyongyang", author=author)
    publishing.publish(story)
    return story


@pytest.fixture
def essay_with_photo(essay, ready_photo):
    photo = ready_photo()
    StoryItem.objects.create(story=essay, photo=photo, alt_text="a falcon", position=0)
    return essay, photo
