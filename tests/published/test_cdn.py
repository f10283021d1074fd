"""What a CDN in front needs: how long it may keep pages, and being told when they change.

The purge hook is tested against a small HTTP receiver on loopback, as a CDN's API would be.
"""

import http.server
import json
import logging
import threading

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from filmstrip.cli import nginx
from filmstrip.published import purge, requests, serving, tasks
from filmstrip.published.models import PendingPurge
from filmstrip.stories import publishing

pytestmark = pytest.mark.django_db

DAY = 86400


class Receiver(http.server.BaseHTTPRequestHandler):
    """Answers ``status``; keeps the JSON bodies of the requests it acknowledged."""

    received: list[dict] = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Receiver.status < 300:
            assert self.headers["Content-Type"] == "application/json"
            Receiver.received.append(json.loads(body))
        self.send_response(Receiver.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.received, Receiver.status = [], 200
    settings.FILMSTRIP_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    yield server
    server.shutdown()
    server.server_close()


def told() -> list[str]:
    return sorted(path for body in Receiver.received for path in body["paths"])


def test_pages_and_feeds_carry_the_shared_cache_lifetime_set(story, settings, published_dir):
    settings.FILMSTRIP_SHARED_CACHE_SECONDS = DAY
    expected = f"public, max-age=0, s-maxage={DAY}"
    client = Client()
    for path in (story.get_absolute_url(), "/", "/feed/rss/", "/tags/sea/"):
        assert client.get(path)["Cache-Control"] == expected, path
    # The published files are sent with the same header, and a front server told so too.
    tasks.run_pending(everything=True)
    app = serving.PublishedFiles(lambda *a: [], str(published_dir))
    headers = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "", "RAW_URI": "/"}
    app(environ, lambda status, sent, exc=None: headers.update(sent))
    assert headers["Cache-Control"] == expected
    assert f"s-maxage={DAY}" in nginx.config(nginx.defaults())


def test_after_a_rebuild_the_cdn_is_told_the_changed_paths(cdn, story, settings):
    tasks.run_pending(everything=True)
    assert purge.send_purges.call() > 0
    paths = told()
    assert {"/", story.get_absolute_url(), "/feed/rss/", "/tags/sea/"} <= set(paths)
    (first,) = Receiver.received
    assert first["urls"][0] == settings.SITE_URL + first["paths"][0]
    assert not PendingPurge.objects.exists()
    # Nothing changed: nothing to tell. Then one edit: its essay's page, not the whole site.
    Receiver.received = []
    tasks.run_pending(everything=True)
    assert purge.send_purges.call() == 0 and Receiver.received == []
    item = story.items.get(kind="text")
    item.body = "Then *dusk*."
    item.save()
    publishing.changed(story)
    tasks.run_pending()
    purge.send_purges.call()
    assert story.get_absolute_url() in told() and "/tags/sea/" not in told()


def test_a_cdn_that_fails_is_told_later_and_publishing_goes_on(cdn, story, caplog):
    Receiver.status = 503
    tasks.run_pending(everything=True)  # the rebuild itself does not wait for the CDN
    waiting = PendingPurge.objects.count()
    with caplog.at_level(logging.WARNING, logger="filmstrip.published"):
        assert purge.send_purges.call() == 0
    assert "503" in caplog.text and PendingPurge.objects.count() == waiting > 0
    retry = DBTaskResult.objects.get(task_path=purge.send_purges.module_path)
    assert retry.run_after is not None
    # The CDN is back: the retry tells it everything that waited.
    Receiver.status = 200
    assert purge.send_purges.call() == waiting
    assert story.get_absolute_url() in told() and not PendingPurge.objects.exists()


def test_a_cdn_that_is_unreachable_is_logged_not_raised(cdn, story, settings, caplog):
    cdn.shutdown()
    cdn.server_close()
    requests.request_rebuild(requests.ALL)
    with caplog.at_level(logging.WARNING, logger="filmstrip.published"):
        tasks.rebuild.call()
        assert purge.send_purges.call() == 0
    assert "trying again" in caplog.text and PendingPurge.objects.exists()


def test_without_a_purge_url_nothing_is_kept(story, settings):
    settings.FILMSTRIP_PURGE_URL = ""
    tasks.run_pending(everything=True)
    assert not PendingPurge.objects.exists()
