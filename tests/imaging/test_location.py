"""Removing location from JPEG originals: nothing locating survives, every pixel does."""

import csv

import pytest
import pyvips

from filmstrip.imaging import probe
from filmstrip.imaging.location import UnsupportedFile, without_location
from tests.conftest import CORPUS, corpus_file

JPEGS_WITH_GPS = [
    row["path"]
    for row in csv.DictReader((CORPUS / "MANIFEST.tsv").open(), delimiter="\t")
    if row["gps"] and row["path"].lower().endswith((".jpg", ".jpeg"))
]


@pytest.mark.parametrize("relative", JPEGS_WITH_GPS)
def test_location_is_removed_and_pixels_kept(relative, tmp_path):
    source = corpus_file(relative)
    cleaned = tmp_path / "cleaned.jpg"
    cleaned.write_bytes(without_location(source.read_bytes()))
    assert probe(cleaned).location is None
    decoded = pyvips.Image.new_from_file(str(cleaned))
    xmp = decoded.get("xmp-data") if decoded.get_typeof("xmp-data") else b""
    assert b"GPSLatitude" not in xmp and b"GPSLongitude" not in xmp
    original = pyvips.Image.new_from_file(str(source))
    assert (original - decoded).abs().max() == 0


def test_captions_rights_and_camera_facts_are_kept(tmp_path):
    source = corpus_file("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    cleaned = tmp_path / "cleaned.jpg"
    cleaned.write_bytes(without_location(source.read_bytes()))
    before, after = probe(source), probe(cleaned)
    assert after.description == before.description and after.description
    assert (after.creator, after.copyright, after.title) == (
        before.creator,
        before.copyright,
        before.title,
    )
    assert after.exposure == before.exposure and after.captured_at == before.captured_at


def test_a_makers_own_block_with_a_location_is_dropped():
    data = corpus_file("photos/metadata-extractor-images/jpg/FLIR iPhone device.jpg").read_bytes()
    assert len(without_location(data)) < len(data) // 2


def test_not_a_jpeg():
    with pytest.raises(UnsupportedFile):
        without_location(b"RIFF....WEBP")
