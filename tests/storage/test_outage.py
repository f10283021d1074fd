"""The object gateway stopped mid-way: a clear error, nothing half stored, and it works again
once the gateway is back (tests/s3server.py stops and starts the real radosgw)."""

import contextlib

import pytest
import pyvips

from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.storage.backends import StorageUnavailable

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@contextlib.contextmanager
def gateway_down(server):
    server.stop_gateway()
    try:
        yield
    finally:
        server.start_gateway()


@pytest.fixture
def jpeg(tmp_path):
    path = tmp_path / "quay.jpg"
    (pyvips.Image.black(320, 200) + [120, 60, 20]).cast("uchar").write_to_file(str(path))
    return path


def test_an_original_stored_while_the_gateway_is_down(s3_server, s3_settings, jpeg):
    with gateway_down(s3_server):
        # An OSError, as a full disk would raise: what intake's callers already report.
        with pytest.raises(StorageUnavailable, match="object storage could not be reached"):
            add_photo(jpeg)
        assert not Photo.objects.exists()
    photo, created = add_photo(jpeg)
    assert created
    with photo.original.open("rb") as stored:
        assert stored.read() == jpeg.read_bytes()


def test_a_studio_upload_finished_while_the_gateway_is_down_says_why(s3_server, s3_settings, jpeg):
    from filmstrip.stories.models import Story
    from filmstrip.studio import uploads

    story = Story.objects.create(title="Quay")
    data = jpeg.read_bytes()
    upload = uploads.start(story, filename="quay.jpg", size=len(data))
    upload = uploads.receive(upload, f"bytes 0-{len(data) - 1}/{len(data)}", data)
    with gateway_down(s3_server):
        outcome = uploads.finish(upload)
    assert "object storage could not be reached" in outcome.error
    assert not story.items.exists()


def test_a_photo_processed_while_the_gateway_is_down_fails_with_the_reason(
    s3_server, s3_settings, jpeg
):
    """Marked failed with the reason, its original kept; the studio's Retry makes it again."""
    from django_tasks_db.models import DBTaskResult

    from filmstrip.photos import jobs
    from filmstrip.photos.processing import process_photo

    photo, _ = add_photo(jpeg)
    with gateway_down(s3_server):
        assert process_photo(photo.pk) == Photo.Status.FAILED
    photo.refresh_from_db()
    assert "object storage could not be reached" in photo.failure_reason
    DBTaskResult.objects.all().delete()
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))  # what the studio's Retry does
    assert process_photo(photo.pk) == Photo.Status.READY
