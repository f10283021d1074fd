"""The rebuild: every public document written once, with its siblings, and nothing stale left."""

import errno
import gzip
import os
from urllib.parse import urlsplit

import brotli
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from filmstrip.published import documents, files, rebuild, requests
from filmstrip.published.models import PendingRebuild, WriteFailure
from filmstrip.published.tasks import rebuild as rebuild_job
from filmstrip.stories.models import Story
from filmstrip.stories.signals import public_changed

pytestmark = pytest.mark.django_db


def set_caption(story, caption):
    item = story.items.get(kind="photo")
    item.caption = caption
    item.save()


def read(folder, relative):
    return (folder / relative).read_bytes()


def test_each_document_is_written_as_django_renders_it_with_both_siblings(story, published_dir):
    result = rebuild.rebuild([requests.ALL])
    photo_id = story.items.get(kind="photo").photo_id
    expected = {
        "/": "index.html",
        "/harbour-at-dawn/": "harbour-at-dawn/index.html",
        f"/harbour-at-dawn/photos/{photo_id}/": f"harbour-at-dawn/photos/{photo_id}/index.html",
        "/harbour-at-dawn/comments/feed/": "harbour-at-dawn/comments/feed/index.atom",
        "/tags/sea/": "tags/sea/index.html",
        "/tags/sea/feed/rss/": "tags/sea/feed/rss/index.rss",
        "/feed/atom/": "feed/atom/index.atom",
        "/feed/json/": "feed/json/index.json",
        "/sitemap.xml": "sitemap.xml",
        "/robots.txt": "robots.txt",
    }
    assert set(expected) <= set(result.written)
    reader = Client(HTTP_HOST=urlsplit(settings.SITE_URL).netloc)  # feeds name the host
    for path, relative in expected.items():
        plain = read(published_dir, relative)
        assert plain == reader.get(path).content, path
        assert gzip.decompress(read(published_dir, relative + ".gz")) == plain
        assert brotli.decompress(read(published_dir, relative + ".br")) == plain
        mtimes = {os.stat(published_dir / f"{relative}{s}").st_mtime for s in ("", ".gz", ".br")}
        assert len(mtimes) == 1
    assert b"The quay" in read(published_dir, "harbour-at-dawn/index.html")
    renditions = list((published_dir / "media/r").rglob("*.*"))
    assert renditions and all(path.stat().st_nlink == 2 for path in renditions)  # hard links


def test_an_unchanged_document_keeps_its_file_and_date(story, published_dir):
    rebuild.rebuild([requests.ALL])
    page = published_dir / "harbour-at-dawn/index.html"
    before = page.stat().st_mtime_ns, page.stat().st_ino
    again = rebuild.rebuild([requests.story_target(story.pk)])
    assert "/harbour-at-dawn/" not in again.written
    assert (page.stat().st_mtime_ns, page.stat().st_ino) == before


def test_an_unpublished_essay_goes_whole_with_its_renditions(story, published_dir):
    rebuild.rebuild([requests.ALL])
    assert (published_dir / "harbour-at-dawn").is_dir()
    Story.objects.filter(pk=story.pk).update(status=Story.Status.DRAFT)
    rebuild.rebuild([requests.story_target(story.pk)])
    assert not (published_dir / "harbour-at-dawn").exists()
    assert b"Harbour at Dawn" not in read(published_dir, "index.html")
    assert not list((published_dir / "media/r").rglob("*.*"))


def test_a_photo_taken_down_leaves_at_once_not_at_the_next_rebuild(
    story, published_dir, django_capture_on_commit_callbacks
):
    """Its rendition URLs must answer 404 at once: the fast path would still send the copy
    the last rebuild exported, and the rebuild runs later, in the worker."""
    rebuild.rebuild([requests.ALL])
    exported = list((published_dir / "media/r").rglob("*.*"))
    assert exported
    with django_capture_on_commit_callbacks(execute=True):
        story.items.filter(kind="photo").delete()  # the photo's last essay lets it go
    assert not [path for path in exported if path.exists()]


def test_a_renamed_essays_old_address_goes(story, published_dir):
    rebuild.rebuild([requests.ALL])
    Story.objects.filter(pk=story.pk).update(slug="harbour")
    rebuild.rebuild([requests.story_target(story.pk), requests.path_target("/harbour-at-dawn/")])
    assert (published_dir / "harbour/index.html").exists()
    assert not (published_dir / "harbour-at-dawn/index.html").exists()
    assert not (published_dir / "harbour-at-dawn/index.html.br").exists()


def test_the_whole_site_rebuild_prunes_what_is_no_longer_public(story, published_dir):
    rebuild.rebuild([requests.ALL])
    stale = published_dir / "left-over/index.html"
    stale.parent.mkdir()
    stale.write_text("old")
    (published_dir / "harbour-at-dawn/photos/999").mkdir()
    (published_dir / "harbour-at-dawn/photos/999/index.html").write_text("old")
    rebuild.rebuild([requests.ALL])
    assert not stale.parent.exists()
    assert not (published_dir / "harbour-at-dawn/photos/999/index.html").exists()


def test_fifty_approvals_in_one_action_are_one_request_and_one_job(
    story, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(50):
            public_changed.send(sender=Story, story=story, old_paths=[], whole_site=False)
    for _ in range(5):  # and more, one transaction each, while that job still waits
        with django_capture_on_commit_callbacks(execute=True):
            public_changed.send(sender=Story, story=story, old_paths=[], whole_site=False)
    assert list(PendingRebuild.objects.values_list("target", flat=True)) == [f"story:{story.pk}"]
    assert DBTaskResult.objects.filter(task_path=rebuild_job.module_path).count() == 1


def test_a_request_made_during_a_rebuild_is_kept_for_the_next(story, published_dir, monkeypatch):
    requests.request_rebuild(requests.story_target(story.pk))
    real = rebuild.rebuild

    def asked_again_meanwhile(targets, **kwargs):
        requests.request_rebuild(requests.story_target(story.pk))
        return real(targets, **kwargs)

    monkeypatch.setattr(rebuild, "rebuild", asked_again_meanwhile)
    rebuild_job.call()
    assert PendingRebuild.objects.filter(target=f"story:{story.pk}").exists()
    monkeypatch.setattr(rebuild, "rebuild", real)
    rebuild_job.call()
    assert not PendingRebuild.objects.exists()


def test_a_rebuild_that_crashes_half_way_keeps_the_old_files_and_runs_again(
    story, published_dir, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    rebuild.rebuild([requests.ALL])
    before = {p: p.read_bytes() for p in published_dir.rglob("*") if p.is_file()}
    set_caption(story, "A new caption")
    requests.request_rebuild(requests.story_target(story.pk))
    real, calls = documents.render, []

    def crash_on_third(path):
        calls.append(path)
        if len(calls) == 3:
            raise RuntimeError("the machine lost power")
        return real(path)

    monkeypatch.setattr(documents, "render", crash_on_third)
    with pytest.raises(RuntimeError):
        rebuild_job.call()
    after = {p: p.read_bytes() for p in published_dir.rglob("*") if p.is_file()}
    after.pop(published_dir / ".lock")
    assert set(after) == set(before)  # nothing removed, no temporary file left
    for path, data in after.items():  # each file whole: the old version or the new one
        if path.suffix == ".gz":
            assert gzip.decompress(data) in (
                before[path.with_suffix("")],
                after[path.with_suffix("")],
            )
    assert PendingRebuild.objects.filter(target=f"story:{story.pk}").exists()
    retry = DBTaskResult.objects.get(task_path=rebuild_job.module_path)
    assert retry.run_after is not None
    monkeypatch.setattr(documents, "render", real)
    rebuild_job.call()
    assert b"A new caption" in read(published_dir, "harbour-at-dawn/index.html")
    assert not PendingRebuild.objects.exists()


def test_a_full_disk_keeps_the_old_page_and_is_recorded(story, published_dir, monkeypatch):
    rebuild.rebuild([requests.ALL])
    page = published_dir / "harbour-at-dawn/index.html"
    old = page.read_bytes()
    set_caption(story, "Written on a full disk")
    real = files.tempfile.mkstemp

    def disk_full(*args, dir=None, **kwargs):
        if dir and dir.endswith("harbour-at-dawn"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", disk_full)
    requests.request_rebuild(requests.story_target(story.pk))
    with pytest.raises(rebuild.WriteFailed):
        rebuild_job.call()
    assert page.read_bytes() == old
    assert gzip.decompress(read(published_dir, "harbour-at-dawn/index.html.gz")) == old
    failure = WriteFailure.objects.get()
    assert failure.path == "/harbour-at-dawn/" and "No space left" in failure.error
    monkeypatch.setattr(files.tempfile, "mkstemp", real)
    rebuild_job.call()
    assert b"Written on a full disk" in page.read_bytes()
    assert not WriteFailure.objects.exists()


def test_write_is_atomic_and_leaves_no_temporary_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    files.write_document(str(target), b"old", 1.0)

    def fail(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(OSError):
        files.write_document(str(target), b"new", 2.0)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "page.html",
        "page.html.br",
        "page.html.gz",
    ]


def test_a_newer_request_cuts_the_photo_pages_short_and_keeps_the_rows(story, published_dir):
    from filmstrip.published.tasks import run_pending

    requests.request_rebuild(requests.story_target(story.pk))
    real, rendered = documents.render, []

    def comment_approved_meanwhile(path):
        if not rendered:
            requests.request_rebuild(requests.story_target(story.pk))
        rendered.append(path)
        return real(path)

    documents.render = comment_approved_meanwhile
    try:
        result = run_pending()
    finally:
        documents.render = real
    assert result.interrupted and "/harbour-at-dawn/" in result.written
    assert not [path for path in rendered if "/photos/" in path]
    assert PendingRebuild.objects.get().version == 2
    assert not run_pending().interrupted
    assert not PendingRebuild.objects.exists()


def test_photo_pages_wait_while_photos_wait_to_be_processed(story, published_dir):
    from django_tasks_db.models import DBTaskResult

    from filmstrip.photos.tasks import process_photo
    from filmstrip.published.tasks import PHOTO_JOB, run_pending

    assert process_photo.module_path == PHOTO_JOB
    process_photo.enqueue(story.items.get(kind="photo").photo_id)
    requests.request_rebuild(requests.story_target(story.pk))
    result = run_pending()
    assert result.interrupted and "/harbour-at-dawn/" in result.written
    assert not (published_dir / "harbour-at-dawn/photos").exists()
    later = DBTaskResult.objects.filter(task_path=rebuild_job.module_path).latest("enqueued_at")
    assert later.run_after is not None and PendingRebuild.objects.exists()
    DBTaskResult.objects.filter(task_path=PHOTO_JOB).delete()  # processed
    assert not run_pending().interrupted
    assert (published_dir / "harbour-at-dawn/photos").is_dir()
