"""Camera facts and GPS read from real files, checked against the corpus manifest."""

import pytest

from filmstrip.imaging import ImageError, probe
from filmstrip.imaging.exif import coordinate, exposure_time, rationals
from tests.conftest import HAVE_CORPUS, corpus_file, corpus_manifest

GPS_PHOTOS = [
    (row["path"], row["gps"])
    for row in corpus_manifest()
    if row["path"].startswith("photos/")
    and row["gps"]
    and row["path"].lower().endswith((".jpg", ".jpeg", ".heic", ".heif", ".webp", ".png", ".tif"))
]


# Files whose coordinates live outside EXIF, where libexif does not look. Their renditions
# carry no metadata at all, so nothing leaks; Filmstrip simply does not learn the location.
OUTSIDE_EXIF = {"photos/metadata-extractor-images/jpg/FLIR iPhone device.jpg"}


@pytest.mark.parametrize(("relative", "gps"), GPS_PHOTOS)
def test_gps_matches_the_manifest(relative, gps):
    expected = [float(v) for v in gps.split(",")]
    try:
        info = probe(corpus_file(relative))
    except ImageError:
        pytest.fail(f"{relative} should probe")
    if relative in OUTSIDE_EXIF:
        assert info.location is None
        return
    assert info.location is not None, relative
    assert info.location.latitude == pytest.approx(expected[0], abs=1e-4)
    assert info.location.longitude == pytest.approx(expected[1], abs=1e-4)


def test_gps_table_is_not_empty():
    # The sample's manifest has the rows of its four photos that record a place.
    assert len(GPS_PHOTOS) > (30 if HAVE_CORPUS else 3)


def test_exposure_facts():
    info = probe(corpus_file("photos/immich-test-assets/formats/webp/denali.webp"))
    assert info.exposure.lens == "EF28-80mm f/3.5-5.6 USM"
    assert (info.exposure.focal_length, info.exposure.f_number) == (60.0, 11.0)
    assert (info.exposure.exposure_time, info.exposure.iso) == ("1/400", 200)
    assert info.location is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/400", "1/400"), ("4/300", "1/75"), ("5/2", "2.5"), ("0/0", ""), ("x", "")],
)
def test_exposure_time(text, expected):
    assert exposure_time(text) == expected


@pytest.mark.parametrize(
    ("dms", "ref", "expected"),
    [
        ("43/1 28/1 281400000/100000000", "N", 43.4674483),
        ("108/1 24/1 1743/500", "W", -108.4009683),
        ("1/0 2/1", "N", None),
        ("", "", None),
    ],
)
def test_coordinate(dms, ref, expected):
    assert coordinate(dms, ref) == (pytest.approx(expected) if expected else None)


def test_rationals_skip_zero_denominators():
    assert rationals("28/1 80/1 0/0 0/0") == [28.0, 80.0]
