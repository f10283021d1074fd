"""The privacy panel tells the truth: serials in maker notes and XMP, places named in IPTC and
XMP, and which originals are not offered, with the reason."""

import shutil
import subprocess

import pytest
import pyvips
from bs4 import BeautifulSoup

from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story, StoryItem
from tests.studio.conftest import FALCON

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("exiftool"), reason="needs exiftool"),
]

NIKON = "photos/metadata-extractor-images/jpg/Nikon D90.jpg"  # Nikon:SerialNumber
FLIR = "photos/metadata-extractor-images/jpg/FLIR Vue Pro 640.jpg"  # FLIR:CameraSerialNumber


@pytest.fixture
def story(author):
    return Story.objects.create(title="Hills", author=author)


def panel(client, story) -> str:
    page = BeautifulSoup(client.get(f"/studio/{story.pk}/").content, "html.parser")
    return " ".join(page.select_one("section.privacy").get_text().split())


def test_serials_in_maker_notes_and_xmp_are_counted(client, story, ready_photo):
    for position, relative in enumerate([FALCON, NIKON, FLIR]):
        StoryItem.objects.create(
            story=story, position=position, photo=ready_photo(relative), alt_text="x"
        )
    story.allow_downloads = True
    story.save()
    text = panel(client, story)
    assert (
        "3 photos name a camera or lens serial number "
        "(prairie_falcon.jpg, Nikon D90.jpg, FLIR Vue Pro 640.jpg): "
        "removed from downloaded originals" in text
    )


def test_photos_stored_before_the_check_are_checked_when_the_panel_opens(
    client, story, ready_photo
):
    photo = ready_photo(NIKON)
    Photo.objects.filter(pk=photo.pk).update(metadata_checked=False, has_serial_numbers=False)
    StoryItem.objects.create(story=story, photo=photo, alt_text="x")
    assert "1 photo name a camera or lens serial number" in panel(client, story)
    photo.refresh_from_db()
    assert photo.metadata_checked and photo.has_serial_numbers


def test_a_place_named_only_in_iptc_or_xmp_counts(client, story, tmp_path):
    path = tmp_path / "street.jpg"
    pyvips.Image.black(32, 24).write_to_file(str(path))
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", "-IPTC:City=Pyongyang", str(path)], check=True
    )
    photo, _ = add_photo(path)
    StoryItem.objects.create(story=story, photo=photo, alt_text="x")
    assert "1 photo record where it was taken (street.jpg): kept private" in panel(client, story)


def test_an_original_that_cannot_be_cleaned_is_named_with_the_reason(
    client, story, ready_photo, monkeypatch
):
    from filmstrip.imaging.metadata import MetadataError

    def fails(*args, **kwargs):
        raise MetadataError("ExifTool could not do it (Can't write RIFF files)")

    monkeypatch.setattr("filmstrip.photos.originals.for_download", fails)
    StoryItem.objects.create(story=story, photo=ready_photo(FALCON), alt_text="x")
    assert "not offered for download" not in panel(client, story)  # downloads are off
    story.allow_downloads = True
    story.save()
    text = panel(client, story)
    assert "1 original not offered for download, because its metadata could not be removed" in text
    assert "prairie_falcon.jpg: ExifTool could not do it (Can't write RIFF files)" in text
