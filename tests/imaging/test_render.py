import pytest
import pyvips

from filmstrip.imaging import ImageError, RenditionSpec, ladder, probe, render
from filmstrip.imaging.errors import OutOfMemory
from filmstrip.imaging.sandbox import Limits, Sandbox, render_isolated
from tests.conftest import HAVE_CORPUS, corpus_file, corpus_paths, corpus_sweep

FALCON = "photos/immich-test-assets/albums/nature/prairie_falcon.jpg"
GPS_PHOTO = "photos/immich-test-assets/metadata/gps-position/thompson-springs.jpg"


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (6000, [480, 960, 1600, 2400]),
        (2400, [480, 960, 1600, 2400]),
        (1800, [480, 960, 1600, 1800]),
        (800, [480, 800]),
        (480, [480]),
        (150, [150]),
    ],
)
def test_ladder_never_upscales(width, expected):
    assert ladder(width, (480, 960, 1600, 2400)) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width": 480, "format": "bmp", "quality": 80}, "unknown rendition format"),
        ({"width": 480, "format": "jpeg", "quality": 0}, "quality"),
        ({"width": 0, "format": "jpeg", "quality": 80}, "width"),
    ],
)
def test_bad_specs_fail_when_made(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RenditionSpec(**kwargs)


def specs(*widths, formats=("webp", "jpeg")):
    return [RenditionSpec(w, f, 80) for w in widths for f in formats]


def test_renditions_have_the_requested_sizes_and_formats():
    result = render(corpus_file(FALCON), specs(480, 800))
    assert len(result.images) == 4
    for image in result.images:
        decoded = pyvips.Image.new_from_buffer(image.data, "")
        assert decoded.get("vips-loader") == f"{image.spec.format}load_buffer"
        assert (decoded.width, decoded.height) == (image.width, image.height)
        assert image.width == image.spec.width
        assert abs(image.height - round(533 * image.width / 800)) <= 1
    assert result.dominant_color.startswith("#") and len(result.dominant_color) == 7


def test_a_spec_wider_than_the_photo_is_not_upscaled():
    result = render(corpus_file(FALCON), specs(2400, formats=("jpeg",)))
    assert result.images[0].width == 800


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied(orientation):
    """Every example photo shows the same upright picture: the output must all agree."""
    path = corpus_file(f"photos/exif-orientation-examples/Landscape_{orientation}.jpg")
    image = render(path, specs(480, formats=("jpeg",))).images[0]
    decoded = pyvips.Image.new_from_buffer(image.data, "")
    assert (decoded.width, decoded.height) == (480, 320)
    reference = render(
        corpus_file("photos/exif-orientation-examples/Landscape_1.jpg"),
        specs(480, formats=("jpeg",)),
    ).images[0]
    difference = (decoded - pyvips.Image.new_from_buffer(reference.data, "")).abs().avg()
    assert difference < 8, f"orientation {orientation} renders differently from upright"


def test_renditions_carry_no_metadata():
    source = pyvips.Image.new_from_file(str(corpus_file(GPS_PHOTO)))
    assert source.get_typeof("exif-ifd3-GPSLatitude")  # the original does have GPS
    for image in render(corpus_file(GPS_PHOTO), specs(150)).images:
        decoded = pyvips.Image.new_from_buffer(image.data, "")
        fields = set(decoded.get_fields())
        assert not {f for f in fields if f.startswith(("exif-", "xmp", "iptc"))}, fields
        assert b"GPS" not in image.data and b"Highsmith" not in image.data


def test_a_corrupt_file_fails_with_a_reason():
    with pytest.raises(ImageError, match="could not be decoded"):
        render(corpus_file("bad/exif-py/jpg/corrupted.jpg"), specs(480, formats=("jpeg",)))


def test_a_truncated_photo_fails_rather_than_publishing_grey(tmp_path):
    data = corpus_file(FALCON).read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match="could not be decoded"):
        render(cut, specs(480, formats=("jpeg",)))


def test_every_hostile_file_renders_or_fails_cleanly_in_the_sandbox():
    """In one long-lived process, decoding hundreds of hostile files can abort libvips itself
    (seen here); the sandbox turns any such end into an ImageError and the caller lives on."""
    outcomes = {"ok": 0, "failed": 0}
    # One sandbox for the whole sweep, as a worker keeps one: it starts a new child after each
    # crash (a child per file would spend most of the sweep starting children).
    with Sandbox(Limits(seconds=30)) as sandbox:
        for path in sorted(p for p in corpus_sweep("bad").rglob("*") if p.is_file()):
            try:
                info = probe(path)
                if info.pixels > 200_000_000:
                    continue  # refused before decoding, by the pixel limit
                sandbox.render(path, specs(480, formats=("jpeg",)))
                outcomes["ok"] += 1
            except ImageError as exc:
                assert str(exc)
                outcomes["failed"] += 1
    assert outcomes["ok"] > 100 and outcomes["failed"] > (100 if HAVE_CORPUS else 30)


def test_sandbox_stops_a_photo_that_takes_too_long():
    with pytest.raises(ImageError, match="took longer than"):
        render_isolated(corpus_file(FALCON), specs(480), Limits(seconds=0.001))


def test_sandbox_bounds_memory():
    path = corpus_file("photos/immich-test-assets/formats/avif/10bit-HDR-P3-nclx.avif")
    with pytest.raises(OutOfMemory, match="needs more than 50 MB of memory to decode$"):
        render_isolated(path, specs(2400, formats=("jpeg",)), Limits(memory_mb=50))


def test_a_transparent_photo_is_previewed_over_the_backdrop_it_is_given(tmp_path):
    """The caller says what the reader sees under a transparent photo (imaging knows no page)."""
    path = tmp_path / "clear.png"
    pyvips.Image.black(64, 48, bands=4).write_to_file(str(path))  # alpha 0 everywhere
    assert render(path, specs(32, formats=("jpeg",))).dominant_color == "#ffffff"
    tinted = render(path, specs(32, formats=("jpeg",)), backdrop=(10, 20, 30))
    assert tinted.dominant_color == "#0a141e"
    assert tinted.thumbhash != render(path, specs(32, formats=("jpeg",))).thumbhash


def test_sandbox_returns_the_same_result_as_in_process():
    isolated = render_isolated(corpus_file(FALCON), specs(480), Limits())
    direct = render(corpus_file(FALCON), specs(480))
    assert [i.data for i in isolated.images] == [i.data for i in direct.images]


HEIF_FILES = corpus_paths("photos", (".heic", ".heif"))


@pytest.mark.parametrize("relative", HEIF_FILES)
def test_every_heic_and_heif_photo_renders_at_its_displayed_size(relative):
    path = corpus_file(relative)
    info = probe(path)
    image = render(path, specs(480, formats=("jpeg",))).images[0]
    assert image.width == 480
    assert abs(image.height - round(info.height * 480 / info.width)) <= 1


def test_an_iphone_portrait_heic_stays_portrait():
    image = render(
        corpus_file("photos/metadata-extractor-images/heic/IMG_2927.HEIC"),
        specs(2400, formats=("jpeg",)),
    ).images[0]
    assert (image.width, image.height) == (2400, 3200)


def test_embedded_colour_profiles_are_converted_to_srgb(tmp_path):
    """A Display P3 photo must not look washed out: its renditions match the sRGB original."""
    saturated = corpus_file("photos/immich-test-assets/albums/nature/notocactus_minimus.jpg")
    original = pyvips.Image.new_from_file(str(saturated)).copy_memory()
    in_p3 = original.icc_transform("p3", input_profile="srgb").copy_memory()  # same colours
    path = tmp_path / "p3.tif"
    in_p3.write_to_file(str(path))  # lossless: only colour management can make a difference
    raw_p3 = in_p3.copy()
    raw_p3.remove("icc-profile-data")
    assert diff(raw_p3, original)[1] > 50, (
        "P3 numbers must differ from sRGB, or this proves nothing"
    )

    def rendition(source):
        data = render(source, [RenditionSpec(512, "jpeg", 100)]).images[0].data
        return pyvips.Image.new_from_buffer(data, "")

    mean, worst = diff(rendition(path), rendition(saturated))
    assert mean < 0.5 and worst < 16


def diff(a, b) -> tuple[float, float]:
    delta = (a[0:3].cast("float") - b[0:3].cast("float")).abs()
    return delta.avg(), delta.max()


def test_renditions_carry_the_rights_and_nothing_else():
    from filmstrip.imaging import Rights
    from filmstrip.imaging.xmp import parse_xmp

    rights = Rights(
        creator="Jane <Runner>",
        copyright="© 2014 Jane Runner",
        credit="NK News",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )
    for image in render(corpus_file(GPS_PHOTO), specs(150), rights).images:
        decoded = pyvips.Image.new_from_buffer(image.data, "")
        fields = {f for f in decoded.get_fields() if f.startswith(("exif-", "xmp", "iptc", "icc"))}
        assert fields == {"xmp-data"}, image.spec
        assert parse_xmp(decoded.get("xmp-data")) == {
            "creator": "Jane <Runner>",
            "rights": "© 2014 Jane Runner",
            "credit": "NK News",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        }
        assert b"GPS" not in image.data and b"Highsmith" not in image.data


def test_rights_change_the_name_key():
    from filmstrip.imaging import Rights

    assert Rights(creator="A").digest != Rights(creator="B").digest
    assert not Rights() and Rights(licence_url="https://x.org/")


def test_one_sandbox_serves_many_photos_and_survives_failures(tmp_path):
    from filmstrip.imaging.sandbox import Sandbox

    cut = tmp_path / "cut.jpg"
    cut.write_bytes(corpus_file(FALCON).read_bytes()[:20000])
    with Sandbox(Limits(seconds=30)) as sandbox:
        first = sandbox.render(corpus_file(FALCON), specs(480))
        pid = sandbox._process.pid
        with pytest.raises(ImageError, match="could not be decoded"):
            sandbox.render(cut, specs(480))
        again = sandbox.render(corpus_file(FALCON), specs(480))
        assert sandbox._process.pid == pid, "a decoding error does not cost the child"
        assert [i.data for i in first.images] == [i.data for i in again.images]
        sandbox._process.kill()  # as if a decoder had crashed it
        sandbox._process.join()
        assert sandbox.render(corpus_file(FALCON), specs(480)).images
        assert sandbox._process.pid != pid


def test_a_timed_out_child_is_replaced():
    from filmstrip.imaging.sandbox import Sandbox

    with Sandbox(Limits(seconds=0.001)) as sandbox:
        with pytest.raises(ImageError, match="took longer than"):
            sandbox.render(corpus_file(FALCON), specs(480))
        sandbox.limits = Limits(seconds=30)
        assert sandbox.render(corpus_file(FALCON), specs(480)).images


@pytest.mark.parametrize(
    ("relative", "frames"),
    [
        ("photos/scikit-image-data/no_time_for_that_tiny.gif", 24),
        ("photos/metadata-extractor-images/webp/Animation Lossy.webp", 101),
    ],
)
def test_animations_stay_animated_in_webp_and_jpeg_gets_the_first_frame(relative, frames):
    path = corpus_file(relative)
    info = probe(path)
    result = render(path, specs(480))
    webp = next(i for i in result.images if i.spec.format == "webp")
    jpeg = next(i for i in result.images if i.spec.format == "jpeg")
    animation = pyvips.Image.new_from_buffer(webp.data, "", n=-1)
    assert animation.get("n-pages") == frames
    assert (webp.width, webp.height) == (info.width, info.height)
    still = pyvips.Image.new_from_buffer(jpeg.data, "")
    assert (still.width, still.height) == (info.width, info.height)


def test_an_animation_is_decoded_once_for_all_its_widths(monkeypatch):
    """Each width is resized frame by frame from one decode; the still (for JPEG) is the other."""
    decodes = []
    original = pyvips.Image.thumbnail

    def counting(filename, *args, **kwargs):
        decodes.append(filename)
        return original(filename, *args, **kwargs)

    monkeypatch.setattr(pyvips.Image, "thumbnail", counting)
    path = corpus_file("photos/metadata-extractor-images/webp/Animation Lossy.webp")
    result = render(path, specs(80, 160, 240, 320))
    assert len(decodes) == 2, decodes
    for webp in (i for i in result.images if i.spec.format == "webp"):
        animation = pyvips.Image.new_from_buffer(webp.data, "", n=-1)
        assert animation.get("n-pages") == 101
        assert (animation.width, animation.get("page-height")) == (webp.width, webp.height)
        assert webp.height == round(240 * webp.width / 320)
        # Frame 50 of a smaller rendition is frame 50 of the largest, resized: no frame slips.
        largest = pyvips.Image.new_from_buffer(result.images[0].data, "", page=50)
        frame = pyvips.Image.new_from_buffer(webp.data, "", page=50)
        expected = largest.resize(webp.width / largest.width)
        assert abs(frame.avg() - expected.avg()) < 4


@pytest.mark.parametrize(
    "relative",
    [
        "photos/scikit-image-data/astronaut.png",
        "photos/metadata-extractor-images/png/sampleWithExifData.png",
        "photos/exif-py/tiff/Crémieux11.tiff",
        "photos/metadata-extractor-images/webp/Alpha Lossless (1).webp",
        "photos/metadata-extractor-images/webp/Alpha Lossy (2).webp",
        "photos/metadata-extractor-images/webp/webpvp8l.webp",
        "photos/immich-test-assets/formats/avif/8bit-sRGB.avif",
        "photos/immich-test-assets/formats/avif/10bit-HDR-P3-nclx.avif",
        "photos/metadata-extractor-images/gif/Issue 201.gif",
    ],
)
def test_every_accepted_format_renders(relative):
    path = corpus_file(relative)
    info = probe(path)
    for image in render(path, specs(480)).images:
        decoded = pyvips.Image.new_from_buffer(image.data, "")
        assert decoded.width == min(480, info.width)
        assert decoded.bands in (3, 4) and decoded.format == "uchar"
        if image.spec.format == "jpeg":
            assert decoded.bands == 3  # alpha flattened onto white


@pytest.mark.parametrize(
    "relative", [FALCON, "photos/metadata-extractor-images/webp/Alpha Lossless (1).webp"]
)
def test_the_thumbhash_preview_matches_the_photo(relative):
    import base64

    import thumbhash

    result = render(corpus_file(relative), specs(480))
    decoded = base64.b64decode(result.thumbhash)
    assert 5 <= len(decoded) <= 30
    average = [round(c * 255) for c in thumbhash.thumb_hash_to_average_rgba(list(decoded))[:3]]
    dominant = [int(result.dominant_color[i : i + 2], 16) for i in (1, 3, 5)]
    assert all(abs(a - d) < 24 for a, d in zip(average, dominant, strict=True))
