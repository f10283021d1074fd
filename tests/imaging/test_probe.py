from datetime import datetime
from pathlib import Path

import pytest

from filmstrip.imaging import ImageError, probe
from tests.conftest import HAVE_CORPUS, corpus_file, corpus_sweep

ORIENTATION = "photos/exif-orientation-examples"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_displayed_size_follows_exif_orientation(orientation):
    info = probe(corpus_file(f"{ORIENTATION}/Landscape_{orientation}.jpg"))
    assert info.orientation == orientation
    assert (info.width, info.height) == (1800, 1200)
    info = probe(corpus_file(f"{ORIENTATION}/Portrait_{orientation}.jpg"))
    assert (info.width, info.height) == (1200, 1800)


def test_iptc_caption_title_creator_and_capture_time():
    info = probe(corpus_file("photos/immich-test-assets/albums/nature/prairie_falcon.jpg"))
    assert info.format == "jpeg"
    assert info.description.startswith("Adult female prairie falcon flying from a nest")
    assert info.title == "Prairie falcon female with eggs"
    assert info.creator == "NPS / Gavin Emmons"
    assert info.captured_at == datetime(2022, 3, 31, 11, 31, 56)
    assert (info.camera_make, info.camera_model) == ("Canon", "Canon EOS R5")


def test_xmp_only_caption_and_zoned_capture_time():
    info = probe(corpus_file("photos/exif-py/jpg/xmp/no_exif.jpg"))
    assert info.description == "Der Goalie bin ig"
    assert info.captured_at.utcoffset().total_seconds() == 7200


def test_camera_boilerplate_is_not_a_caption():
    info = probe(corpus_file("photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg"))
    assert info.description == ""  # the file says "SONY DSC"


def test_webp_with_exif():
    info = probe(corpus_file("photos/immich-test-assets/formats/webp/denali.webp"))
    assert (info.format, info.width, info.height) == ("webp", 600, 315)
    assert info.captured_at == datetime(2010, 8, 13, 21, 0, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"Just some notes about the trip.\n", "not an image Filmstrip can read"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not an image Filmstrip can read"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
            "SVG files are not accepted",
        ),
    ],
)
def test_non_images_are_refused_with_a_clear_reason(tmp_path, content, message):
    path = tmp_path / "photo.jpg"  # the extension lies
    path.write_bytes(content)
    with pytest.raises(ImageError, match=message):
        probe(path)


def test_missing_file(tmp_path):
    with pytest.raises(ImageError, match="cannot be read"):
        probe(tmp_path / "nope.jpg")


def test_every_hostile_file_probes_cleanly_or_is_refused():
    bad = corpus_sweep("bad")
    files = sorted(p for p in bad.rglob("*") if p.is_file())
    # Without the shared corpus: PngSuite and the damaged copies the tests make (tests/made.py).
    assert len(files) > (500 if HAVE_CORPUS else 200), f"expected the hostile corpus under {bad}"
    refused = 0
    for path in files:
        try:
            info = probe(path)
        except ImageError as exc:
            refused += 1
            assert str(exc), path
            continue
        assert info.width > 0 and info.height > 0, path
    assert refused > (50 if HAVE_CORPUS else 20)  # many are not images at all


def test_probe_reads_only_the_header(tmp_path):
    """A truncated photo still probes: decoding problems surface when rendering."""
    data = corpus_file("photos/immich-test-assets/albums/nature/prairie_falcon.jpg").read_bytes()
    path = Path(tmp_path / "cut.jpg")
    path.write_bytes(data[: len(data) // 2])
    assert probe(path).width == 800
