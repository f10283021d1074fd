"""Offering originals: never without ExifTool, never more copies at once than the server can
afford, and photos stored before the check are checked when first asked about."""

import shutil

import pytest

from filmstrip.photos import originals
from filmstrip.photos.intake import add_photo
from tests.conftest import corpus_file

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("exiftool"), reason="needs exiftool"),
]

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"


def test_without_exiftool_nothing_is_offered_and_it_is_asked_again_later(monkeypatch):
    monkeypatch.setattr("filmstrip.imaging.metadata.shutil.which", lambda name: None)
    photo, _ = add_photo(corpus_file(FALCON))
    assert "ExifTool is not installed" in photo.withheld_reason
    assert not photo.metadata_checked and not originals.downloadable(photo)
    monkeypatch.undo()
    assert originals.downloadable(photo)
    photo.refresh_from_db()
    assert photo.metadata_checked and photo.has_serial_numbers and not photo.withheld_reason


def test_readers_asking_for_many_originals_at_once_are_told_to_come_back(client, essay):
    essay.allow_downloads = True
    essay.save()
    item = essay.items.filter(kind="photo").first()
    url = f"{essay.get_absolute_url()}photos/{item.photo_id}/original"
    for _ in range(originals.CONCURRENT_COPIES):
        originals._copies.acquire()
    try:
        response = client.get(url)
    finally:
        for _ in range(originals.CONCURRENT_COPIES):
            originals._copies.release()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert client.get(url).status_code == 200
