"""Machines that follow the shared log: each rebuilds its own published directory, and all of
them end with the same files, dates (so ETags) included."""

import json
import os
import threading
import time

import pytest

from filmstrip.published import documents, follow, layout, requests
from filmstrip.published.models import LogEntry
from filmstrip.published.serving import PublishedFiles
from filmstrip.stories.models import Story
from filmstrip.stories.signals import public_changed

pytestmark = pytest.mark.django_db

PAGE = "harbour-at-dawn/index.html"
BOOKKEEPING = {layout.CURSOR, ".lock"}


@pytest.fixture
def machines(settings, tmp_path):
    """step(name): one follower step on that machine's own published directory."""

    def step(name, **kwargs):
        settings.FILMSTRIP_PUBLISHED_DIR = tmp_path / name
        return follow.step(**kwargs)

    return step


def change(story, caption):
    item = story.items.get(kind="photo")
    item.caption = caption
    item.save()
    public_changed.send(sender=Story, story=story, old_paths=[], whole_site=False)


def tree(folder):
    """Every file but the follower's own: its bytes, and the modification time of those
    served (the stamp and recorded headers are not)."""
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, folder)
            if relative not in BOOKKEEPING:
                with open(full, "rb") as handle:
                    served = not name.startswith(".")
                    found[relative] = (handle.read(), served and os.stat(full).st_mtime_ns)
    return found


def etag(folder, path):
    headers = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_ACCEPT_ENCODING": "br"}
    PublishedFiles(lambda *_: [b"django"], root=str(folder))(
        environ, lambda status, sent: headers.update(sent, status=status)
    )
    assert headers["status"].startswith("200")
    return headers["ETag"]


def cursor(folder):
    return json.loads((folder / layout.CURSOR).read_text())


def test_two_machines_end_with_the_same_files_and_etags(story, machines, tmp_path):
    assert machines("a").targets == [requests.ALL]  # no cursor yet: everything
    time.sleep(0.01)  # b renders a little later, as a second machine would
    assert machines("b").targets == [requests.ALL]
    change(story, "Fog at noon")
    assert machines("a").targets == [requests.story_target(story.pk)]
    assert machines("b").targets == [requests.story_target(story.pk)]
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert b"Fog at noon" in a[PAGE][0]
    assert a == b
    assert etag(tmp_path / "a", "/harbour-at-dawn/") == etag(tmp_path / "b", "/harbour-at-dawn/")
    assert machines("a") is None and machines("b") is None  # nothing new


def test_a_new_machine_catches_up_whole(story, machines, tmp_path):
    machines("a")
    change(story, "Fog at noon")
    machines("a")
    LogEntry.objects.all().delete()  # a day later: the log holds none of it
    requests.request_rebuild(requests.SITE)
    machines("a")
    assert machines("new").targets == [requests.ALL]
    assert tree(tmp_path / "new") == tree(tmp_path / "a")


def test_a_machine_that_was_down_catches_up_from_the_log(story, machines, tmp_path):
    machines("a"), machines("b")
    change(story, "Fog at noon")
    machines("a")
    requests.request_rebuild(requests.path_target("/robots.txt"))
    machines("a")
    change(story, "Rain by evening")
    machines("a")
    done = machines("b")  # back: the three requests, not the whole site
    assert done.targets == [requests.story_target(story.pk), "path:/robots.txt"]
    assert tree(tmp_path / "b") == tree(tmp_path / "a")
    assert b"Rain by evening" in (tmp_path / "b" / PAGE).read_bytes()


def test_a_failed_rebuild_keeps_the_cursor_and_the_next_step_retries(
    story, machines, tmp_path, monkeypatch
):
    machines("a")
    before = cursor(tmp_path / "a")
    change(story, "Fog at noon")
    real = documents.render

    def broken(path):
        if path == "/harbour-at-dawn/":
            raise RuntimeError("the database went away")
        return real(path)

    monkeypatch.setattr(documents, "render", broken)
    with pytest.raises(RuntimeError):
        machines("a")
    assert cursor(tmp_path / "a") == before
    assert b"Fog at noon" not in (tmp_path / "a" / PAGE).read_bytes()
    monkeypatch.setattr(documents, "render", real)
    assert machines("a").targets == [requests.story_target(story.pk)]
    assert b"Fog at noon" in (tmp_path / "a" / PAGE).read_bytes()


def test_the_loop_goes_on_after_a_failure(monkeypatch, caplog):
    stop, calls = threading.Event(), []

    def step():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        stop.set()

    monkeypatch.setattr(follow, "step", step)
    monkeypatch.setattr(follow, "RETRY_SECONDS", 0.01)
    monkeypatch.setattr(follow, "close_old_connections", lambda: None)  # the test's transaction
    monkeypatch.setattr(follow.connections, "close_all", lambda: None)
    follow.follow(stop, poll=0.01)
    assert len(calls) == 2
    assert "trying again" in caplog.text


def test_an_entry_that_commits_after_a_newer_one_is_not_missed(story, machines, tmp_path):
    machines("a")
    newest = LogEntry.objects.create(target="path:/robots.txt").id
    machines("a")
    # PostgreSQL hands out ids at insert: entry newest+1's transaction is still open when
    # newest+2's commits and is read.
    LogEntry.objects.create(id=newest + 2, target="path:/robots.txt")
    machines("a")
    assert cursor(tmp_path / "a")["last"] == newest + 2
    assert str(newest + 1) in cursor(tmp_path / "a")["gaps"]
    item = story.items.get(kind="photo")
    item.caption = "Fog at noon"
    item.save()
    LogEntry.objects.create(id=newest + 1, target=requests.story_target(story.pk))
    assert machines("a").targets == [requests.story_target(story.pk)]
    assert b"Fog at noon" in (tmp_path / "a" / PAGE).read_bytes()
    assert str(newest + 1) not in cursor(tmp_path / "a")["gaps"]


def test_a_gap_is_given_up_after_an_hour(story, machines, tmp_path):
    machines("a")
    newest = LogEntry.objects.create(target="path:/robots.txt").id
    machines("a")
    LogEntry.objects.create(id=newest + 2, target="path:/robots.txt")
    machines("a")  # newest+1 is a gap: a rolled-back change
    later = time.time() + follow.GAP_SECONDS + 1
    LogEntry.objects.create(id=newest + 3, target="path:/robots.txt")  # ids given, as above
    machines("a", now=later)
    assert cursor(tmp_path / "a")["gaps"] == {}


def test_a_cursor_older_than_the_log_keeps_rebuilds_whole(story, machines, tmp_path):
    machines("a")
    change(story, "Fog at noon")
    later = time.time() + follow.TRUST_CURSOR_SECONDS + 1  # entries may have been pruned
    assert machines("a", now=later).targets == [requests.ALL]
    assert machines("a", now=later) is None


def test_a_cursor_past_the_log_from_another_database_rebuilds_whole(story, machines, tmp_path):
    machines("a")
    state = cursor(tmp_path / "a")
    (tmp_path / "a" / layout.CURSOR).write_text(json.dumps({**state, "last": state["last"] + 50}))
    assert machines("a").targets == [requests.ALL]


def test_a_directory_built_by_another_version_is_rebuilt_whole(story, machines, tmp_path):
    machines("a")
    (tmp_path / "a" / layout.STAMP).write_text("another version")
    assert machines("a").targets == [requests.ALL]


def test_the_log_forgets_entries_after_a_day_but_keeps_the_newest(db):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(days=1, minutes=1)
    LogEntry.objects.bulk_create([LogEntry(target="site", at=old) for _ in range(3)])
    recent = LogEntry.objects.create(target="site")
    assert follow.prune() == 3
    assert list(LogEntry.objects.all()) == [recent]
    LogEntry.objects.filter(pk=recent.pk).update(at=old)
    assert follow.prune() == 0  # the newest stays: followers measure their cursor by it


def test_each_rebuild_request_is_logged(story):
    requests.request_rebuild(requests.SITE, requests.SITE, requests.story_target(story.pk))
    targets = list(LogEntry.objects.order_by("id").values_list("target", flat=True))
    assert targets[-2:] == [requests.SITE, requests.story_target(story.pk)]


def test_a_followed_directory_of_another_version_asks_nobody_else_for_the_whole_site(
    story, machines, tmp_path, monkeypatch
):
    from filmstrip.published import serving
    from filmstrip.published.models import PendingRebuild

    monkeypatch.setattr(serving, "CHECK_EVERY_SECONDS", 0)
    machines("a")
    (tmp_path / "a" / layout.STAMP).write_text("another version")
    before = LogEntry.objects.count()
    layer = serving.PublishedFiles(lambda environ, start: start("200 OK", []) or [b""])
    layer({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda *_: None)
    assert LogEntry.objects.count() == before  # this machine's follower rebuilds it alone
    assert not PendingRebuild.objects.filter(target=requests.ALL).exists()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_entry_that_commits_late_is_applied_late(machines):
    """The case the gaps are for, with two real connections: entry N's transaction is still
    open when entry N+1 commits and is read."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: ids commit in order")
    machines("a")
    opened, release = threading.Event(), threading.Event()

    def slow_change():
        try:
            with transaction.atomic():
                requests.request_rebuild(requests.path_target("/robots.txt"))
                opened.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_change)
    thread.start()
    try:
        assert opened.wait(10)
        requests.request_rebuild(requests.path_target("/sitemap.xml"))
        assert machines("a").targets == ["path:/sitemap.xml"]
    finally:
        release.set()
        thread.join()
    assert machines("a").targets == ["path:/robots.txt"]
    assert machines("a") is None


def test_each_machine_tells_the_cdn_what_it_changed(story, machines, settings):
    from filmstrip.published.models import PendingPurge

    settings.FILMSTRIP_PURGE_URL = "http://127.0.0.1:9/purge"
    machines("a")
    PendingPurge.objects.all().delete()
    change(story, "Fog at noon")
    machines("a")
    assert "/harbour-at-dawn/" in set(PendingPurge.objects.values_list("path", flat=True))
    PendingPurge.objects.all().delete()
    machines("b")  # a new machine: everything it wrote
    assert "/harbour-at-dawn/" in set(PendingPurge.objects.values_list("path", flat=True))


def test_publish_check_says_how_far_behind_this_machines_follower_is(story, machines, settings):
    from io import StringIO

    from django.core.management import call_command

    machines("a")
    change(story, "Fog at noon")
    change(story, "Rain by evening")
    out = StringIO()
    with pytest.raises(Exception, match="not up to date"):
        call_command("publish", "--check", stdout=out, stderr=StringIO())
    assert "2 logged change(s) this machine's follower has yet to rebuild." in out.getvalue()
    machines("a")
    out = StringIO()
    call_command("publish", "--check", stdout=out, stderr=StringIO())
    assert "follower" not in out.getvalue()


def test_a_claimed_directory_is_rebuilt_whole_by_its_follower(story, machines, tmp_path, settings):
    settings.FILMSTRIP_PUBLISHED_DIR = tmp_path / "new"
    follow.claim(str(tmp_path / "new"))  # what `serve --no-worker` does before its web starts
    assert (tmp_path / "new" / layout.CURSOR).exists()
    assert machines("new").targets == [requests.ALL]
    follow.claim(str(tmp_path / "new"))  # a cursor in use is kept
    assert machines("new") is None


def test_photo_pages_wait_for_photos_but_not_for_a_new_comment(
    story, machines, tmp_path, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    from filmstrip.photos.tasks import process_photo
    from filmstrip.published.tasks import PHOTO_JOB

    machines("a")
    photos = tmp_path / "a" / "harbour-at-dawn/photos"
    for page in photos.rglob("index.html*"):
        page.unlink()
    process_photo.enqueue(story.items.get(kind="photo").photo_id)
    change(story, "Fog at noon")
    done = machines("a")
    assert done.result.interrupted and done.wait_after is not None
    assert b"Fog at noon" in (tmp_path / "a" / PAGE).read_bytes()
    assert not list(photos.rglob("index.html"))
    # Nothing newer: the loop waits (up to RETRY_SECONDS), until something is logged.
    started = time.monotonic()
    monkeypatch.setattr(follow, "RETRY_SECONDS", 0.3)
    follow._wait_for_entry(threading.Event(), done.wait_after, 0.01)
    assert time.monotonic() - started >= 0.3
    monkeypatch.setattr(follow, "RETRY_SECONDS", 60)
    requests.request_rebuild(requests.SITE)  # a comment approved meanwhile
    started = time.monotonic()
    follow._wait_for_entry(threading.Event(), done.wait_after, 0.01)
    assert time.monotonic() - started < 5
    again = machines("a")  # the cursor stayed: the same entries, with the newer one
    assert again.targets == [requests.story_target(story.pk), requests.SITE]
    DBTaskResult.objects.filter(task_path=PHOTO_JOB).delete()  # processed
    assert not machines("a").result.interrupted
    assert list(photos.rglob("index.html"))
