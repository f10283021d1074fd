from datetime import timedelta

import pytest
import pyvips
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip import layout
from filmstrip.conf import filmstrip_settings
from filmstrip.imaging.errors import OutOfMemory
from filmstrip.photos import jobs, processing
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"


def test_processing_makes_every_rendition(ready_photo):
    photo = ready_photo(FALCON)
    assert photo.status == Photo.Status.READY and photo.failure_reason == ""
    assert photo.placeholder_color.startswith("#")
    made = sorted((r.format, r.width) for r in photo.renditions.all())
    assert made == [("jpeg", 480), ("jpeg", 800), ("webp", 480), ("webp", 800)]
    for rendition in photo.renditions.all():
        with default_storage.open(rendition.name, "rb") as f:
            data = f.read()
        assert len(data) == rendition.size_bytes
        decoded = pyvips.Image.new_from_buffer(data, "")
        assert (decoded.width, decoded.height) == (rendition.width, rendition.height)
        assert rendition.name.startswith(f"r/{photo.checksum[:2]}/{photo.checksum[:32]}-")


def test_a_transparent_photo_gets_the_page_paper_as_its_placeholder(tmp_path):
    path = tmp_path / "clear.png"
    pyvips.Image.black(64, 48, bands=4).write_to_file(str(path))  # alpha 0 everywhere
    photo, _ = add_photo(path)
    process_photo(photo.pk)
    photo.refresh_from_db()
    assert photo.placeholder_color == layout.CSS["paper"] != "#ffffff"


def test_a_photo_too_large_to_decode_names_the_setting_that_raises_the_limit(monkeypatch):
    class Starved:
        def render(self, *args):
            raise OutOfMemory("needs more than 50 MB of memory to decode")

    photo, _ = add_photo(corpus_file(FALCON))
    monkeypatch.setattr(processing, "sandbox", Starved)
    assert process_photo(photo.pk) == Photo.Status.FAILED
    photo.refresh_from_db()
    assert photo.failure_reason == (
        "needs more than 50 MB of memory to decode (FILMSTRIP_PROCESSING_MEMORY_MB)"
    )


def test_changing_the_quality_changes_the_names(ready_photo, settings):
    photo = ready_photo(FALCON)
    before = set(photo.renditions.values_list("name", flat=True))
    settings.FILMSTRIP_QUALITY = {"jpeg": 70, "webp": 70}
    photo.renditions.all().delete()
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    process_photo(photo.pk)
    after = set(photo.renditions.values_list("name", flat=True))
    assert after and not before & after


def test_a_damaged_photo_is_marked_failed_and_its_original_kept(tmp_path):
    data = corpus_file(FALCON).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    photo, _ = add_photo(cut)
    assert process_photo(photo.pk) == Photo.Status.FAILED
    photo.refresh_from_db()
    assert "could not be decoded" in photo.failure_reason
    assert not photo.renditions.exists()
    assert default_storage.exists(photo.original.name)


def test_a_photo_is_processed_once_even_if_queued_twice():
    photo, _ = add_photo(corpus_file(FALCON))
    assert process_photo(photo.pk) == Photo.Status.READY
    assert process_photo(photo.pk) == "skipped"
    assert photo.renditions.count() == 4


def test_a_file_left_by_a_killed_job_is_replaced(ready_photo):
    photo = ready_photo(FALCON)
    rendition = photo.renditions.get(format="jpeg", width=480)
    photo.renditions.all().delete()  # as if the job died after writing, before committing
    with default_storage.open(rendition.name, "wb") as f:
        f.write(b"half a jpeg")
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    process_photo(photo.pk)
    again = photo.renditions.get(format="jpeg", width=480)
    assert again.name == rendition.name
    with default_storage.open(again.name, "rb") as f:
        assert f.read(3) == b"\xff\xd8\xff"


def test_recovery_requeues_stalled_and_lost_jobs():
    photo, _ = add_photo(corpus_file(FALCON))
    DBTaskResult.objects.all().delete()  # the job was lost with its process
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)

    assert jobs.recover() == 0  # still within its lease: another worker may be on it
    Photo.objects.filter(pk=photo.pk).update(
        status_changed_at=timezone.now()
        - timedelta(seconds=filmstrip_settings.PROCESSING_LEASE_SECONDS + 1)
    )
    assert jobs.recover() == 1
    photo.refresh_from_db()
    assert photo.status == Photo.Status.PENDING
    assert DBTaskResult.objects.count() == 1
    assert process_photo(photo.pk) == Photo.Status.READY


def test_sole_worker_recovery_does_not_wait_for_the_lease():
    photo, _ = add_photo(corpus_file(FALCON))
    # A SIGKILL mid-job leaves the photo claimed and its job row "running" for ever.
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)
    DBTaskResult.objects.update(status="RUNNING")
    assert jobs.recover(startup=True, sole_worker=True) == 1
    assert Photo.objects.get(pk=photo.pk).status == Photo.Status.PENDING
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_startup_does_not_queue_a_photo_twice():
    add_photo(corpus_file(FALCON))
    assert jobs.recover(startup=True, sole_worker=True) == 0
    assert DBTaskResult.objects.count() == 1


def test_gps_is_stored_apart_and_never_published(client, ready_photo):
    from filmstrip.photos.models import PhotoLocation
    from filmstrip.stories.models import Story, StoryItem

    photo = ready_photo("photos/exif-py/jpg/gps/DSCN0010.jpg")
    location = PhotoLocation.objects.get(photo=photo)
    assert (round(location.latitude, 4), round(location.longitude, 4)) == (43.4674, 11.8851)
    assert (photo.focal_length, photo.f_number, photo.exposure_time, photo.iso) == (
        24.0,
        5.9,
        "1/75",
        64,
    )
    story = Story.objects.create(title="Tuscany")
    StoryItem.objects.create(story=story, photo=photo, alt_text="A street")
    publishing.publish(story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "43.46" not in html and "11.88" not in html
    for rendition in photo.renditions.all():
        with default_storage.open(rendition.name, "rb") as f:
            data = f.read()
        assert b"GPS" not in data and b"NIKON" not in data


def test_editing_rights_makes_new_renditions_carrying_them(ready_photo, settings):
    from filmstrip.imaging.xmp import parse_xmp

    settings.FILMSTRIP_DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
    photo = ready_photo(FALCON)
    before = set(photo.renditions.values_list("name", flat=True))
    photo.creator = "Gavin Emmons"
    photo.save()
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    process_photo(photo.pk)
    after = set(photo.renditions.values_list("name", flat=True))
    assert len(after) == 4 and not before & after
    with default_storage.open(next(iter(after)), "rb") as f:
        xmp = parse_xmp(pyvips.Image.new_from_buffer(f.read(), "").get("xmp-data"))
    assert xmp["creator"] == "Gavin Emmons"
    assert xmp["licence_url"] == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_a_storage_failure_marks_the_photo_failed_instead_of_leaving_it_stuck(monkeypatch):
    photo, _ = add_photo(corpus_file(FALCON))

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    # The disk fails, not our code: the storage class's save raises as a full disk would.
    monkeypatch.setattr("django.core.files.storage.FileSystemStorage.save", full_disk)
    assert process_photo(photo.pk) == Photo.Status.FAILED
    photo.refresh_from_db()
    assert "could not store its renditions" in photo.failure_reason
    assert "No space left" in photo.failure_reason


def test_a_photo_being_processed_again_keeps_showing_its_renditions(client, ready_photo):
    from bs4 import BeautifulSoup

    from filmstrip.stories.models import Story, StoryItem

    photo = ready_photo(FALCON)
    story = Story.objects.create(title="Again")
    StoryItem.objects.create(story=story, photo=photo, alt_text="Falcon")
    publishing.publish(story)
    jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert page.select_one(f"#photo-{photo.pk} img") is not None
    assert not page.select(".photo-pending")
