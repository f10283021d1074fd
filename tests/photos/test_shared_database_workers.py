"""Several `filmstrip worker` processes on one PostgreSQL database, as on several machines."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from filmstrip.migration.folder import import_folder
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import specs_for
from tests.conftest import REPO

FILMSTRIP = str(Path(sys.executable).with_name("filmstrip"))

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def test_concurrent_workers_process_each_photo_exactly_once(photo_folder, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of `make test` (workers on several machines)")
    for relative in (
        "photos/immich-test-assets/albums/nature/prairie_falcon.jpg",
        "photos/immich-test-assets/albums/nature/tanners_ridge.jpg",
        "photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg",
        "photos/immich-test-assets/albums/nature/silver_fir.jpg",
        "photos/immich-test-assets/albums/nature/wood_anemones.jpg",
        "photos/immich-test-assets/albums/nature/cyclamen_persicum.jpg",
        "photos/immich-test-assets/metadata/rating/mongolels.jpg",
        "photos/exif-orientation-examples/Landscape_3.jpg",
        "photos/exif-orientation-examples/Portrait_8.jpg",
        "photos/exif-py/jpg/gps/DSCN0012.jpg",
    ):
        photo_folder.add(relative)
    import_folder(photo_folder.path, title="Shared")
    # Every photo queued twice more, so that workers race for the same photos.
    from filmstrip.photos.tasks import process_photo

    for pk in Photo.objects.values_list("pk", flat=True):
        process_photo.enqueue(pk)
        process_photo.enqueue(pk)

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    # The media directory is the one this test's storage writes to (tmp_path/media).
    env.update(
        DATABASE_URL=database_url(),
        FILMSTRIP_SECRET_KEY="shared-by-all-workers",
        FILMSTRIP_DATA_DIR=str(tmp_path),
    )
    workers = [
        subprocess.Popen(
            [FILMSTRIP, "worker", "--batch", "--interval=0.05"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read().decode()[-2000:]

    photos = list(Photo.objects.all())
    assert {p.status for p in photos} == {"ready"}
    assert [p.attempts for p in photos] == [1] * len(photos), "a photo was processed twice"
    for photo in photos:
        assert photo.renditions.count() == len(specs_for(photo))
