"""One part's failure does not take the site down: a real `filmstrip serve`, attacked and broken.

Issue 11's finding: four comments of slow Markdown held SQLite's write lock while they rendered,
the worker's job claim failed with "database is locked", the worker died, and the supervisor
stopped the web server with it.
"""

import http.client
import http.cookiejar
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import Server, free_port, running
from tests.cli.test_entry_point import FILMSTRIP, environment, run
from tests.conftest import REPO, migrated

WORST_COMMENT = "[`" * 2500  # Python-Markdown: about 6 s each, inside the write lock
_colours = itertools.count(7, 37)


def make_photos(folder: Path, *names: str) -> Path:
    """Small JPEGs made here, so that these tests need no corpus."""
    import pyvips

    folder.mkdir(parents=True, exist_ok=True)
    for name in names:  # each a colour of its own: the same picture twice is imported once
        colour = [next(_colours) % 256, 90, 160]
        (pyvips.Image.black(96, 64, bands=3) + colour).write_to_file(str(folder / name))
    return folder


def photo_states(data) -> list[str]:
    with sqlite3.connect(data / "filmstrip.sqlite3", timeout=30) as db:
        return [row[0] for row in db.execute("SELECT status FROM photos_photo ORDER BY id")]


def wait_until(condition, seconds: float, what: str, server=None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if server is not None and server.poll() is not None:
            pytest.fail(f"serve exited while waiting until {what}\n{server.output()}")
        if time.monotonic() > deadline:
            log = server.output(100_000) if server is not None else ""
            pytest.fail(f"not within {seconds} s: {what}\n{log}")
        time.sleep(0.3)


def children(pid: int) -> dict[int, str]:
    """Child processes of ``pid`` and their command lines."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            found[int(child)] = cmdline.decode()
    return found


def worker_pid(server) -> int | None:
    pids = [pid for pid, cmd in children(server.pid).items() if " worker " in f"{cmd} "]
    return pids[0] if pids else None


@pytest.fixture
def served(tmp_path):
    """`filmstrip serve` with its worker on a published essay with one processed photo."""
    data = tmp_path / "data"
    migrated(data)
    run(
        data,
        "import",
        "folder",
        str(make_photos(tmp_path / "one", "a.jpg")),
        "--title",
        "Hard",
        "--publish",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, environment(data), ready_url=f"{base}/") as server:
        wait_until(lambda: photo_states(data) == ["ready"], 120, "the photo is ready", server)
        server.base, server.data, server.folder = base, data, tmp_path
        yield server
        assert server.poll() is None, server.output()


def worker_processes_a_new_photo(server, name: str) -> None:
    before = len(photo_states(server.data))
    folder = make_photos(server.folder / name, f"{name}.jpg")
    run(server.data, "import", "folder", str(folder), "--title", name)
    wait_until(
        lambda: photo_states(server.data)[before:] == ["ready"],
        120,
        "the worker processes a new photo",
        server,
    )


class Reader:
    """One browser: its own cookies, posting and then editing a comment."""

    def __init__(self, base: str, slug: str):
        self.base, self.slug = base, slug
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def form(self) -> dict:
        with self.opener.open(f"{self.base}/comments/{self.slug}/form", timeout=60) as answer:
            return json.load(answer)

    def send(self, path: str, fields: dict) -> int:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(f"{self.base}{path}", data=data, timeout=120) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def attack(self, n: int, results: list) -> None:
        tokens = self.form()
        time.sleep(3.5)  # a form sent sooner is refused as a bot's (COMMENTS_MIN_SECONDS)
        fields = {
            "name": f"Attacker {n}",
            "email": f"attacker{n}@example.org",
            "url": "",
            "body": WORST_COMMENT,
            "token": tokens["token"],
            "csrfmiddlewaretoken": tokens["csrf"],
        }
        results.append(("post", self.send(f"/comments/{self.slug}/post", fields)))
        for pk in self.form()["editable"]:
            edit = {"body": WORST_COMMENT[:-1] + "x", "csrfmiddlewaretoken": tokens["csrf"]}
            results.append(("edit", self.send(f"/comments/edit/{pk}", edit)))


def test_four_worst_case_comments_and_edits_leave_the_site_and_worker_running(served):
    results: list = []
    attackers = [
        threading.Thread(target=Reader(served.base, "hard").attack, args=(n, results))
        for n in range(4)
    ]
    for thread in attackers:
        thread.start()
    for thread in attackers:
        thread.join(timeout=300)
    assert served.poll() is None, served.output()
    assert sorted(kind for kind, _ in results) == ["edit"] * 4 + ["post"] * 4, results
    assert all(status < 500 for _, status in results), results
    with urllib.request.urlopen(f"{served.base}/hard/", timeout=10) as page:
        assert page.status == 200
    worker_processes_a_new_photo(served, "after")
    assert "database is locked" not in served.output(100_000)


def test_a_killed_worker_is_restarted_and_the_log_says_so(served):
    time.sleep(11)  # past its start: a child dying at once means serve cannot start at all
    first = worker_pid(served)
    assert first is not None, children(served.pid)
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: worker_pid(served) not in (None, first), 60, "a new worker starts", served)
    log = served.output(100_000)
    assert re.search(
        rf"background worker \(pid {first}\) was killed by signal 9 \(SIGKILL\).*restarting", log
    ), log
    worker_processes_a_new_photo(served, "restarted")


def test_serve_fails_clearly_when_its_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(tmp_path, "serve", "--port", str(port), "--no-worker", check=False)
    assert result.returncode != 0
    assert f"is port {port} already in use?" in result.stderr


def test_clients_sending_their_headers_slowly_hold_no_python_thread(tmp_path):
    """The web server reads request lines and headers outside Python: 20 connections trickling
    theirs, ten times as many as the process has threads, leave pages and forms answering."""
    migrated(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--port", str(port)]
    command += ["--web-processes", "1", "--threads", "2"]
    with running(command, environment(tmp_path), ready_url=f"{base}/") as server:
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        try:
            for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ":
                for connection in slow:
                    connection.send(bytes([byte]))
            time.sleep(1)
            for path in ("/", "/accounts/login/", "/feed/rss/"):
                started = time.monotonic()
                with urllib.request.urlopen(f"{base}{path}", timeout=10) as answer:
                    assert answer.status == 200, path
                assert time.monotonic() - started < 5, path
        finally:
            for connection in slow:
                connection.close()
        assert server.poll() is None, server.output()


def test_serve_refuses_a_request_timeout_that_is_not_a_number(tmp_path):
    env = {"FILMSTRIP_REQUEST_TIMEOUT_SECONDS": "2m"}
    result = run(tmp_path, "serve", "--no-worker", check=False, env=env)
    assert result.returncode != 0 and "must be a number of seconds" in result.stderr


def test_the_worker_outlives_a_database_locked_longer_than_its_busy_timeout(tmp_path):
    data = tmp_path / "data"
    migrated(data)
    worker = Server([FILMSTRIP, "worker", "--interval=0.2"], environment(data))
    try:
        time.sleep(4)  # started and looking at the empty queue
        lock = sqlite3.connect(data / "filmstrip.sqlite3", isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        deadline = time.monotonic() + 13  # the busy timeout is 10 s
        while time.monotonic() < deadline:
            assert worker.poll() is None, worker.output()
            time.sleep(0.5)
        lock.execute("ROLLBACK")
        lock.close()
        assert worker.poll() is None, worker.output()
        assert "database is locked" in worker.output() and "tries again" in worker.output()
        run(data, "import", "folder", str(make_photos(tmp_path / "p", "p.jpg")), "--title", "L")
        wait_until(lambda: photo_states(data) == ["ready"], 120, "the photo is processed", worker)
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_a_request_that_runs_too_long_ends_its_web_process(tmp_path):
    from filmstrip.cli.management.commands.serve import web_command

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = web_command(
        host="127.0.0.1", port=port, processes=1, threads=2, app="tests.cli.stuck_app:app"
    )
    env = {**os.environ, "FILMSTRIP_REQUEST_TIMEOUT_SECONDS": "2", "PYTHONPATH": str(REPO)}
    with running(command, env, ready_url=f"{base}/") as server:
        first = urllib.request.urlopen(f"{base}/", timeout=10).read()
        started = time.monotonic()
        with pytest.raises((OSError, http.client.HTTPException)):
            urllib.request.urlopen(f"{base}/stuck", timeout=60).read()
        assert time.monotonic() - started < 30
        wait_until(lambda: _answers(base), 30, "a fresh web process answers", server)
        assert urllib.request.urlopen(f"{base}/", timeout=10).read() != first  # another pid
        assert "A request for /stuck has run more than 2 s" in server.output(100_000)


def _answers(base: str) -> bool:
    try:
        return urllib.request.urlopen(f"{base}/", timeout=5).status == 200
    except OSError:
        return False
