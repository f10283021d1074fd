"""Real processes for browser tests: `filmstrip` commands, a server on loopback, Debian chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import REPO, migrated

FILMSTRIP = str(Path(sys.executable).with_name("filmstrip"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A guest's comment sent sooner than FILMSTRIP_COMMENTS_MIN_SECONDS after its form loaded is
# refused as a bot's (3 s by default; tests/comments checks the rule). The sites here ask for
# 1 s, and a test waits READING_MS, as a reader types, before it sends one.
QUICK_READER = {"FILMSTRIP_COMMENTS_MIN_SECONDS": "1"}
READING_MS = 1200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def filmstrip(env, *args) -> str:
    """Run a `filmstrip` command to completion; its output."""
    done = subprocess.run([FILMSTRIP, *args], env=env, check=True, capture_output=True, cwd=REPO)
    return done.stdout.decode()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            pytest.fail(f"{url} did not come up\n{process.output()}")
        time.sleep(0.3)


class Server(subprocess.Popen):
    """A process whose output goes to a file: a pipe nobody reads would fill up and stall it."""

    def __init__(self, command, env):
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)
        super().__init__(command, env=env, cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self, last: int = 3000) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-last:]


@contextmanager
def author_site(data: Path):
    """``filmstrip serve`` on a migrated ``data`` directory with one author, ed (password pw);
    its base URL."""
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": "pw"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base


def sign_in(page, base: str) -> None:
    """Sign ``page`` in as author_site's author, ed, and land on the studio."""
    page.goto(f"{base}/admin/login/?next=/studio/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/studio/")


def new_essay(page, title: str) -> None:
    """From the studio's essay list, a new essay called ``title``, open in the editor."""
    page.fill("#new-title", title)
    page.click("text=Create")
    page.wait_for_url("**/studio/*/")


@contextmanager
def running(command, env, *, ready_url: str):
    """A server process for the length of the block; it must stop cleanly on SIGTERM."""
    process = Server(command, env)
    try:
        wait_for(ready_url, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"{command[:2]} did not stop within 20 s of SIGTERM")


@pytest.fixture(scope="session")
def _chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser(_chromium):
    """One chromium for the run (each launch costs seconds); what a module opened in it is
    closed after the module, so that no page of it polls a server that has stopped."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()


class Site(str):
    """The site's base URL, carrying the environment its processes run with."""

    def __new__(cls, url, env):
        site = super().__new__(cls, url)
        site.env = env
        return site


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site")
    env = {**os.environ, **QUICK_READER, "FILMSTRIP_DATA_DIR": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data, demo=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, env, ready_url=f"{base}/") as server:
        wait_for_photos(base, server=server)
        yield Site(base, env)
    assert server.returncode == 0, server.output()


def post_comment(page) -> None:
    """Send the comment form once its script has made it live, and wait for the answer.

    On a busy machine the token request may still be on its way when a fast test clicks; the
    form would then go the no-JavaScript way (the confirmation page), which is not under test.
    """
    page.wait_for_function("() => document.querySelector('.comment-form').action.endsWith('/post')")
    with page.expect_navigation():
        page.click("text=Post comment")
    page.wait_for_load_state("load")


# As the admin's "Approve" action does: the rows, then one announcement per essay, after which
# the worker rewrites the published pages (filmstrip.published).
APPROVE_ALL = """
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
stories = set(Comment.objects.values_list("story_id", flat=True))
Comment.objects.update(status="approved")
publishing.discussion_changed(stories)
"""


def reload_until(page, url: str, check, seconds: float = 20) -> None:
    """Load ``url`` until ``check(page)`` holds: a published page is rewritten moments after
    the change that the test just made."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url, wait_until="load")
        if check(page) or time.monotonic() > deadline:
            return
        page.wait_for_timeout(200)


def step_until(page, step, shows: str, arg) -> None:
    """Do ``step()`` (a key, a swipe) until ``shows(arg)`` holds in the page: a busy machine
    drops an input that comes while the lightbox opens or moves, so try again, as a person
    would, up to three times."""
    for attempt in range(3):
        page.wait_for_timeout(400)
        step()
        try:
            page.wait_for_function(shows, arg=arg, timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def wait_for_photos(base: str, seconds: float = 120, server: Server | None = None) -> None:
    """Until the embedded worker has processed every demo photo and the page shows them."""
    deadline = time.monotonic() + seconds
    while True:
        html = urllib.request.urlopen(f"{base}/field-notes/", timeout=5).read().decode()
        if 'class="photo-pending"' not in html:
            return
        if time.monotonic() > deadline or (server is not None and server.poll() is not None):
            pytest.fail("the demo site did not come up with every photo processed")
        time.sleep(0.3)


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    # Evaluated by the browser's debugger rather than added as a <script>: the pages' CSP
    # (rightly) refuses inline scripts, and this must not be loosened for a test's sake.
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate("() => axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
