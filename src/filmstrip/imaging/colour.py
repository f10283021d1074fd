"""Colour stated as CICP code points (an AVIF's or HEIC's ``nclx`` box) instead of an ICC profile.

Phones and cameras that write AVIF or HEIC often describe wide-gamut or HDR colour only this way.
libvips ignores it, so such a photo would be shown as if it were sRGB: Display P3 greens and reds
dulled, and HDR (PQ or HLG) grey and flat, since its diffuse white sits at about 60% of the code
range. Here the numbers are made linear, moved to the sRGB primaries, HDR highlights are rolled
off smoothly into the SDR range, and the result is encoded as sRGB.
"""

import math
from dataclasses import dataclass
from pathlib import Path

from .vips import pyvips

# ITU-T H.273 code points.
PRIMARIES = {  # red, green, blue, white (x, y)
    1: ((0.640, 0.330), (0.300, 0.600), (0.150, 0.060), (0.3127, 0.3290)),  # BT.709 = sRGB
    9: ((0.708, 0.292), (0.170, 0.797), (0.131, 0.046), (0.3127, 0.3290)),  # BT.2020
    # DCI-P3 (11) has its own white; displays show it with D65's, as Display P3 (12) does.
    11: ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060), (0.3127, 0.3290)),
    12: ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060), (0.3127, 0.3290)),  # Display P3
}
PQ, HLG = 16, 18
# HDR diffuse white ("graphics white", ITU-R BT.2408), which becomes SDR white.
REFERENCE_WHITE_NITS = 203
# Linear SDR level where highlights start to roll off towards white.
KNEE = 0.75


@dataclass(frozen=True)
class Cicp:
    primaries: int
    transfer: int

    @classmethod
    def read(cls, path: str | Path) -> "Cicp | None":
        """The CICP of a HEIF/AVIF file if it needs converting to be seen right, else None."""
        import pillow_heif

        try:
            nclx = pillow_heif.open_heif(str(path)).info.get("nclx_profile")
        except (ValueError, OSError, RuntimeError):
            return None  # the decoder says what is wrong with the file
        if not nclx:
            return None
        cicp = cls(nclx["color_primaries"], nclx["transfer_characteristics"])
        return cicp if cicp.wide_gamut or cicp.hdr else None

    @property
    def wide_gamut(self) -> bool:
        return self.primaries in PRIMARIES and self.primaries != 1

    @property
    def hdr(self) -> bool:
        return self.transfer in (PQ, HLG)

    def to_srgb(self, image: pyvips.Image) -> pyvips.Image:
        """``image`` (RGB, 8 or 16 bits, as decoded) as 8-bit sRGB."""
        alpha = image.extract_band(3) if image.bands == 4 else None
        top = 65535 if image.format == "ushort" else 255
        rgb = image.extract_band(0, n=3).cast("float") / top
        linear = self._linear(rgb)
        if self.wide_gamut:
            linear = linear.recomb(_to_srgb_matrix(self.primaries))
        if self.hdr:
            linear = _roll_off(linear)
        srgb = (_srgb_encode(_clip(linear)) * 255).cast("uchar").copy(interpretation="srgb")
        if alpha is not None:
            srgb = srgb.bandjoin((alpha.cast("float") * 255 / top).cast("uchar"))
        return srgb

    def _linear(self, x: pyvips.Image) -> pyvips.Image:
        """Light relative to SDR white (1.0); HDR highlights go above it."""
        if self.transfer == PQ:
            m1, m2 = 2610 / 16384, 2523 / 4096 * 128
            c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
            e = x ** (1 / m2)
            nits = (_at_least_zero(e - c1) / (c2 - c3 * e)) ** (1 / m1) * 10000
            return nits / REFERENCE_WHITE_NITS
        if self.transfer == HLG:
            a = 0.17883277
            b, c = 1 - 4 * a, 0.5 - a * math.log(4 * a)
            scene = (x <= 0.5).ifthenelse(x * x / 3, (((x - c) / a).exp() + b) / 12)
            # The reference display (1000 nits, system gamma 1.2), per channel.
            return scene**1.2 * 1000 / REFERENCE_WHITE_NITS
        return _srgb_decode(x)  # SDR: the sRGB curve, as a Display P3 ICC profile has


def _srgb_decode(x: pyvips.Image) -> pyvips.Image:
    return (x <= 0.04045).ifthenelse(x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def _srgb_encode(x: pyvips.Image) -> pyvips.Image:
    return (x <= 0.0031308).ifthenelse(x * 12.92, 1.055 * x ** (1 / 2.4) - 0.055)


def _at_least_zero(x: pyvips.Image) -> pyvips.Image:
    return (x < 0).ifthenelse(0, x)


def _clip(x: pyvips.Image) -> pyvips.Image:
    x = _at_least_zero(x)
    return (x > 1).ifthenelse(1, x)


def _roll_off(rgb: pyvips.Image) -> pyvips.Image:
    """Compress light above KNEE smoothly towards 1, scaling all three channels alike so that
    highlights keep their hue; below the knee nothing changes."""
    peak = _max_band(rgb)
    over = (peak - KNEE) / (1 - KNEE)
    rolled = KNEE + (1 - KNEE) * (1 - (-over).exp())
    scale = (peak > KNEE).ifthenelse(rolled / (peak + 1e-9), 1)
    return rgb * scale


def _max_band(rgb: pyvips.Image) -> pyvips.Image:
    r, g, b = rgb.extract_band(0), rgb.extract_band(1), rgb.extract_band(2)
    rg = (r > g).ifthenelse(r, g)
    return (rg > b).ifthenelse(rg, b)


def _xyz_matrix(primaries: int) -> list[list[float]]:
    """RGB to CIE XYZ for the given primaries and white point."""
    *rgb, (wx, wy) = PRIMARIES[primaries]
    columns = [(x / y, 1.0, (1 - x - y) / y) for x, y in rgb]
    white = (wx / wy, 1.0, (1 - wx - wy) / wy)
    matrix = [[columns[j][i] for j in range(3)] for i in range(3)]
    scales = _solve(matrix, white)
    return [[matrix[i][j] * scales[j] for j in range(3)] for i in range(3)]


def _solve(m: list[list[float]], v: tuple[float, ...]) -> list[float]:
    """x with m·x = v (Cramer's rule; the 3×3 matrices here are far from singular)."""

    def det(a):
        return (
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        )

    whole = det(m)
    return [
        det([[v[i] if j == k else m[i][j] for j in range(3)] for i in range(3)]) / whole
        for k in range(3)
    ]


def _inverse(m: list[list[float]]) -> list[list[float]]:
    columns = [_solve(m, tuple(1.0 if i == k else 0.0 for i in range(3))) for k in range(3)]
    return [[columns[j][i] for j in range(3)] for i in range(3)]


def _to_srgb_matrix(primaries: int) -> list[list[float]]:
    to_xyz, from_xyz = _xyz_matrix(primaries), _inverse(_xyz_matrix(1))
    return [
        [sum(from_xyz[i][k] * to_xyz[k][j] for k in range(3)) for j in range(3)] for i in range(3)
    ]
