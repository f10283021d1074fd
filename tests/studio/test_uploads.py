"""Chunked uploads whose bytes wait in the database: any web machine takes the next chunk, a
failed finish keeps them for another try, and nothing is left on a machine's disk."""

import hashlib
import importlib
import os
import time
import tracemalloc
from datetime import timedelta

import pytest
import pyvips
from django.apps import apps
from django.utils import timezone

from filmstrip.stories.models import Story, StoryItem
from filmstrip.studio import uploads
from filmstrip.studio.models import Chunk, Upload

pytestmark = pytest.mark.django_db

CHUNK = uploads.MIN_CHUNK


@pytest.fixture
def story(author):
    return Story.objects.create(title="Harbour", author=author)


@pytest.fixture(scope="module")
def jpeg(tmp_path_factory):
    """A real JPEG of about 1.5 MB (noise compresses badly): many chunks, made here."""
    path = tmp_path_factory.mktemp("upload") / "harbour.jpg"
    bands = [pyvips.Image.gaussnoise(900, 700, sigma=60).cast("uchar") for _ in range(3)]
    bands[0].bandjoin(bands[1:]).jpegsave(str(path), Q=95)
    return path.read_bytes()


def start(client, story, data, name="harbour.jpg"):
    started = client.post(
        f"/studio/{story.pk}/uploads",
        {"name": name, "size": len(data)},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    return started.json()["url"]


def put(client, url, data, start, total):
    return client.put(
        url,
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(data) - 1}/{total}",
    )


def send(client, url, data, start=0, stop=None, chunk=4 * CHUNK):
    """Chunks from ``start`` to ``stop``; the answer to the last one."""
    response = None
    for offset in range(start, len(data) if stop is None else stop, chunk):
        response = put(client, url, data[offset : offset + chunk], offset, len(data))
    return response


def test_the_next_chunk_may_reach_another_web_machine(client, story, jpeg, settings, tmp_path):
    """Each web machine has its own data directory: the bytes must not wait in either."""
    url = start(client, story, jpeg)
    settings.DATA_DIR = tmp_path / "first-machine"
    half = len(jpeg) // 2 // CHUNK * CHUNK
    assert send(client, url, jpeg, stop=half, chunk=CHUNK).json() == {"offset": half}
    settings.DATA_DIR = tmp_path / "second-machine"
    assert client.get(url).json() == {"offset": half, "size": len(jpeg)}
    done = send(client, url, jpeg, start=half)
    assert done.status_code == 201, done.content
    photo = StoryItem.objects.get(pk=done.json()["item"]["id"]).photo
    with photo.original.open("rb") as stored:
        assert hashlib.sha256(stored.read()).digest() == hashlib.sha256(jpeg).digest()
    assert not Upload.objects.exists() and not Chunk.objects.exists()
    machines = [tmp_path / "first-machine", tmp_path / "second-machine"]
    assert not any(m.exists() for m in machines), "nothing on either machine's data directory"


@pytest.mark.parametrize(
    ("start_at", "length", "status", "answer"),
    [
        (0, CHUNK, 409, {"offset": 2 * CHUNK}),  # sent again: overlaps what is there
        (3 * CHUNK, CHUNK, 409, {"offset": 2 * CHUNK}),  # skips a chunk
        (2 * CHUNK, 100, 400, None),  # a tiny chunk that is not the last: a flood of rows
    ],
)
def test_a_chunk_out_of_place_or_too_small_is_refused(
    client, story, jpeg, start_at, length, status, answer
):
    url = start(client, story, jpeg)
    send(client, url, jpeg, stop=2 * CHUNK, chunk=CHUNK)
    response = put(client, url, jpeg[start_at : start_at + length], start_at, len(jpeg))
    assert response.status_code == status, response.content
    if answer:
        assert answer.items() <= response.json().items()
    else:
        assert f"at least {CHUNK} bytes" in response.json()["error"]
    assert Chunk.objects.count() == 2 and client.get(url).json()["offset"] == 2 * CHUNK


def test_a_failed_finish_keeps_the_upload_and_sending_the_end_again_finishes_it(
    client, story, jpeg, settings, tmp_path
):
    """The originals' storage fails (here a disk whose folder is a file): a clear error, the
    bytes kept; what the editor does next (ask where to go on, send from there: nothing but
    the end) finishes it."""
    working = settings.STORAGES
    broken = tmp_path / "not-a-folder"
    broken.write_bytes(b"")
    default = {**working["default"], "OPTIONS": {**working["default"]["OPTIONS"]}}
    default["OPTIONS"]["location"] = broken
    settings.STORAGES = {**working, "default": default}
    url = start(client, story, jpeg)
    failed = send(client, url, jpeg)
    assert failed.status_code == 503
    assert failed.json()["offset"] == len(jpeg)
    assert "its upload is kept" in failed.json()["error"]
    assert Chunk.objects.count() and not story.items.exists()

    settings.STORAGES = working
    assert client.get(url).json()["offset"] == len(jpeg)
    done = put(client, url, b"", len(jpeg), len(jpeg))
    assert done.status_code == 201, done.content
    assert story.items.count() == 1 and not Chunk.objects.exists()


def test_finishing_holds_one_chunk_at_a_time_in_memory(story, jpeg):
    upload = uploads.start(story, filename="harbour.jpg", size=len(jpeg))
    for offset in range(0, len(jpeg), CHUNK):
        part = jpeg[offset : offset + CHUNK]
        upload = uploads.receive(
            upload, f"bytes {offset}-{offset + len(part) - 1}/{len(jpeg)}", part
        )
    tracemalloc.start()
    try:
        outcome = uploads.finish(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.item is not None
    # Intake holds one copy (the check of the copy readers may download reads it whole); the
    # chunks add one at a time, not a second copy of the file.
    assert peak < 1.5 * len(jpeg), f"{peak} bytes at most in Python for a {len(jpeg)}-byte file"


def test_an_upload_finished_twice_is_one_photo(story, jpeg):
    """Two requests may finish one upload (a retried last chunk, on another machine): the one
    that comes second finds it gone and counts as a duplicate, not as a failure."""
    upload = uploads.start(story, filename="harbour.jpg", size=len(jpeg))
    upload = uploads.receive(upload, f"bytes 0-{len(jpeg) - 1}/{len(jpeg)}", jpeg)
    first, second = uploads.finish(upload), uploads.finish(upload)
    assert first.item is not None and second == uploads.Outcome(duplicate=True)
    assert story.items.count() == 1


def test_the_sweep_forgets_abandoned_chunks_and_old_part_files(story, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    old = Upload.objects.create(story=story, filename="left.jpg", size=10 * CHUNK)
    old.chunks.create(offset=0, data=b"x" * CHUNK)
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    recent = Upload.objects.create(story=story, filename="going.jpg", size=10 * CHUNK)
    recent.chunks.create(offset=0, data=b"y" * CHUNK)
    # Files of the days when chunks waited on the web machine's disk.
    (tmp_path / "uploads").mkdir()
    stale, fresh = tmp_path / "uploads" / "a.part", tmp_path / "uploads" / "b.part"
    stale.write_bytes(b"old")
    fresh.write_bytes(b"new")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    assert uploads.sweep() == 1
    assert list(Chunk.objects.values_list("upload", flat=True)) == [recent.pk]
    assert not stale.exists() and fresh.exists()


def test_the_migration_takes_in_part_files_and_restarts_uploads_it_cannot_find(
    story, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    (tmp_path / "uploads").mkdir()
    here = Upload.objects.create(
        story=story, filename="here.jpg", size=3 << 20, received=(1 << 20) + 5
    )
    (tmp_path / "uploads" / f"{here.pk}.part").write_bytes(b"a" * (1 << 20) + b"bcdef" + b"\0" * 9)
    elsewhere = Upload.objects.create(story=story, filename="away.jpg", size=100, received=50)
    migration = importlib.import_module("filmstrip.studio.migrations.0004_upload_chunks")
    migration.chunks_from_part_files(apps, None)
    kept = b"".join(bytes(c.data) for c in here.chunks.order_by("offset"))
    assert kept == b"a" * (1 << 20) + b"bcdef"
    elsewhere.refresh_from_db()
    assert elsewhere.received == 0 and not elsewhere.chunks.exists()
    assert not (tmp_path / "uploads").exists()
