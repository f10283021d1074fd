"""Colour stated by CICP code points (an nclx box) instead of an ICC profile, read back from the
renditions: Display P3 as an ICC conversion would give it, HDR (PQ, HLG) brought to SDR."""

import math

import pillow_heif
import pytest

from filmstrip.imaging import render
from filmstrip.imaging.colour import Cicp
from filmstrip.imaging.render import RenditionSpec
from filmstrip.imaging.vips import pyvips
from tests.conftest import corpus_file

SIDE = 32
P3_SDR, BT709_SDR = (12, 13), (1, 13)
PQ_P3, HLG_BT2020 = (12, 16), (9, 18)


def heic(tmp_path, patches, cicp) -> tuple:
    """A lossless 4:4:4 HEIC of square patches, its colour stated only by ``cicp``."""
    primaries, transfer = cicp
    row = b"".join(bytes(patch) * SIDE for patch in patches)
    path = tmp_path / "patches.heic"
    pillow_heif.from_bytes(mode="RGB", size=(SIDE * len(patches), SIDE), data=row * SIDE).save(
        path,
        quality=-1,
        chroma=444,
        color_primaries=primaries,
        transfer_characteristics=transfer,
        matrix_coefficients=1,
        full_range_flag=1,
    )
    return path, row * SIDE


def rendered_patches(path, count) -> list[list[int]]:
    spec = RenditionSpec(SIDE * count, "webp", 100)
    image = pyvips.Image.new_from_buffer(render(path, [spec]).images[0].data, "")
    return [
        [round(v) for v in image.getpoint(i * SIDE + SIDE // 2, SIDE // 2)] for i in range(count)
    ]


def test_display_p3_stated_by_cicp_is_converted_as_its_icc_profile_would_be(tmp_path):
    patches = [(200, 60, 50), (60, 180, 70), (50, 70, 200), (128, 128, 128), (230, 200, 40)]
    path, pixels = heic(tmp_path, patches, P3_SDR)
    # The reference: the same numbers through lcms with libvips' own Display P3 profile.
    source = pyvips.Image.new_from_memory(pixels, SIDE * len(patches), SIDE, 3, "uchar")
    icc = source.copy(interpretation="srgb").icc_transform(
        "srgb", input_profile="p3", intent="relative"
    )
    expected = [[round(v) for v in icc.getpoint(i * SIDE + SIDE // 2, SIDE // 2)] for i in range(5)]
    ours = rendered_patches(path, len(patches))
    for got, want, patch in zip(ours, expected, patches, strict=True):
        assert max(abs(g - w) for g, w in zip(got, want, strict=True)) <= 3, (patch, got, want)
    # Without the conversion the P3 red would be shown as the duller sRGB (200, 60, 50).
    assert ours[0][0] >= 212


def test_srgb_stated_by_cicp_is_left_alone(tmp_path):
    patches = [(200, 60, 50), (60, 180, 70), (128, 128, 128)]
    path, _ = heic(tmp_path, patches, BT709_SDR)
    assert Cicp.read(path) is None
    for got, patch in zip(rendered_patches(path, 3), patches, strict=True):
        assert max(abs(g - p) for g, p in zip(got, patch, strict=True)) <= 3, (patch, got)


def pq_code(nits: float) -> int:
    """The 8-bit PQ (SMPTE ST 2084) code value for ``nits``."""
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    y = (nits / 10000) ** m1
    return round(((c1 + c2 * y) / (1 + c3 * y)) ** m2 * 255)


def srgb_8bit(linear: float) -> int:
    return round(
        (12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055) * 255
    )


def test_pq_hdr_diffuse_white_becomes_white_and_shadows_keep_their_level(tmp_path):
    levels = [20, 100, 203, 1000]  # nits
    patches = [(pq_code(n),) * 3 for n in levels]
    path, _ = heic(tmp_path, patches, PQ_P3)
    shadow, mid, white, highlight = (p[1] for p in rendered_patches(path, len(levels)))
    # Shown as if it were sRGB, 203-nit white would be grey (code 148 of 255).
    assert patches[2][0] < 155 and white >= 235
    assert abs(shadow - srgb_8bit(20 / 203)) <= 8
    assert abs(mid - srgb_8bit(100 / 203)) <= 12  # just under the roll-off
    assert white < highlight <= 255  # brighter than white still reads brighter, not clipped flat


def test_hlg_reference_white_becomes_white(tmp_path):
    patches = [(round(0.75 * 255),) * 3, (round(0.5 * 255),) * 3]
    path, _ = heic(tmp_path, patches, HLG_BT2020)
    white, darker = (p[1] for p in rendered_patches(path, 2))
    assert white >= 235 and darker < white - 40


def test_a_real_hdr_avif_is_not_shown_grey():
    path = corpus_file("photos/immich-test-assets/formats/avif/10bit-HDR-P3-nclx.avif")
    assert Cicp.read(path) == Cicp(primaries=12, transfer=16)
    image = pyvips.Image.new_from_buffer(
        render(path, [RenditionSpec(480, "webp", 90)]).images[0].data, ""
    )
    luma = image.colourspace("b-w")
    # Read as sRGB, its clouds peak at 159 of 255 and the sky is grey; here they are white and
    # the sky blue.
    assert luma.percent(99) >= 235
    assert image.extract_band(2).avg() - image.extract_band(0).avg() > 25


@pytest.mark.parametrize("primaries", [9, 11, 12])
def test_conversion_matrices_keep_white_white(primaries):
    from filmstrip.imaging.colour import _to_srgb_matrix

    for row in _to_srgb_matrix(primaries):
        assert math.isclose(sum(row), 1.0, abs_tol=1e-6)
