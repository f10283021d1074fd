"""Two web machines on one database, each with its own published directory and no worker: a
comment approved elsewhere reaches the files of both, with the same bytes and ETag on each.
Real `filmstrip serve --no-worker` processes, read with a real HTTP client (the topology test
does the same on PostgreSQL)."""

import os

import pytest

from filmstrip.published import layout
from tests.browser.conftest import FILMSTRIP, Server, free_port, running
from tests.conftest import migrated
from tests.published.test_served import APPROVE_IN_ADMIN, SETUP, from_file, get, shell, until

FRESH_WITHIN = 5.0  # a follower reads the log once a second; the rebuild renders the essay


@pytest.fixture(scope="module")
def machines(tmp_path_factory):
    data = tmp_path_factory.mktemp("shared")
    ports = [free_port(), free_port()]
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FILMSTRIP_PUBLISHED_DIR"):
        env.pop(name, None)
    env["FILMSTRIP_SITE_URL"] = f"http://127.0.0.1:{ports[0]}"  # one address for the site
    migrated(data)
    shell(env, SETUP)
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    with (
        _machine(env, data / "published-a", ports[0]) as first,
        _machine(env, data / "published-b", ports[1]) as second,
    ):
        for base, server in zip(bases, (first, second), strict=True):
            assert until(lambda base=base: from_file(f"{base}/quiet-harbour/"), 60), server.output()
        yield bases, env, data


def _machine(env, published, port):
    env = {**env, "FILMSTRIP_PUBLISHED_DIR": str(published)}
    command = [FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--port", str(port)]
    return running(command, env, ready_url=f"http://127.0.0.1:{port}/")


COUNT_WHOLE_SITE_REQUESTS = """
from filmstrip.published.models import LogEntry
print(LogEntry.objects.filter(target="all").count())
"""


def test_new_machines_ask_nobody_else_for_a_whole_site_rebuild(machines):
    """Each caught up by its own follower: a request for the whole site in the shared log would
    make every other machine render everything again too."""
    _, env, _ = machines
    assert shell(env, COUNT_WHOLE_SITE_REQUESTS) == 0


def test_a_comment_approved_elsewhere_reaches_both_machines_with_one_etag(machines):
    bases, env, _ = machines
    page = "/quiet-harbour/"
    assert all(b"Lovely light" not in get(f"{base}{page}")[2] for base in bases)
    committed = shell(env, APPROVE_IN_ADMIN)
    for base in bases:
        seen = until(lambda base=base: b"Lovely light" in get(f"{base}{page}")[2], 20)
        assert seen and seen - committed <= FRESH_WITHIN, seen and seen - committed
        assert from_file(f"{base}{page}")
    answers = [get(f"{base}{page}", **{"Accept-Encoding": "br"}) for base in bases]
    assert answers[0][1]["ETag"] == answers[1][1]["ETag"]
    assert answers[0][1]["Last-Modified"] == answers[1][1]["Last-Modified"]
    assert answers[0][2] == answers[1][2]
    again = {"Accept-Encoding": "br", "If-None-Match": answers[0][1]["ETag"]}
    assert get(f"{bases[1]}{page}", **again)[0] == 304  # a CDN revalidating at the other one


def test_a_front_machine_for_nginx_follows_with_publish_follow(machines):
    """`filmstrip publish --follow` alone, as beside nginx: a new directory caught up whole, the
    same files as a web machine's, and SIGTERM ends it at once."""
    _, env, data = machines
    folder = data / "published-nginx"
    env = {**env, "FILMSTRIP_PUBLISHED_DIR": str(folder)}
    follower = Server([FILMSTRIP, "publish", "--follow"], env)
    try:
        page = "quiet-harbour/index.html"
        assert until(lambda: (folder / page).exists(), 60), follower.output()
        assert until(lambda: (folder / layout.CURSOR).exists(), 30), follower.output()
        for name in (page, f"{page}.br", "index.html", "feed/rss/index.rss"):
            here, there = folder / name, data / "published-a" / name
            assert here.read_bytes() == there.read_bytes(), name
            assert here.stat().st_mtime_ns == there.stat().st_mtime_ns, name
    finally:
        follower.terminate()
        code = follower.wait(timeout=5)
    assert code == 0, follower.output()
