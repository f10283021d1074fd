"""The real worker command processing real queued jobs, bad photos among them."""

import pytest
from django.core.management import call_command

from filmstrip.migration.folder import import_folder
from filmstrip.photos.models import Photo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_processes_the_queue_and_survives_bad_photos(photo_folder):
    photo_folder.add("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    photo_folder.add("photos/exif-orientation-examples/Portrait_6.jpg")
    photo_folder.add("bad/exif-py/jpg/corrupted.jpg")
    falcon = (photo_folder.path / "prairie_falcon.jpg").read_bytes()
    photo_folder.write("truncated.jpg", falcon[: len(falcon) // 2])
    import_folder(photo_folder.path, title="Mixed bag")

    call_command("worker", "--batch", verbosity=0)

    states = dict(Photo.objects.values_list("original_filename", "status"))
    assert states == {
        "prairie_falcon.jpg": "ready",
        "Portrait_6.jpg": "ready",
        "corrupted.jpg": "failed",
        "truncated.jpg": "failed",
    }
    portrait = Photo.objects.get(original_filename="Portrait_6.jpg")
    assert (portrait.width, portrait.height) == (1200, 1800)
    assert max(r.height for r in portrait.renditions.all()) == 1800
    for photo in Photo.objects.filter(status="failed"):
        assert photo.failure_reason and photo.original


def test_a_killed_workers_photo_is_processed_on_the_next_start(photo_folder):
    photo_folder.add("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    import_folder(photo_folder.path, title="Interrupted")
    # As a SIGKILL mid-job leaves it: photo claimed, job row stuck "running".
    from django_tasks_db.models import DBTaskResult

    Photo.objects.update(status=Photo.Status.PROCESSING)
    DBTaskResult.objects.update(status="RUNNING")

    call_command("worker", "--batch", "--sole-worker", verbosity=0)
    assert Photo.objects.get().status == Photo.Status.READY
