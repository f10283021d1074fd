"""What a photo file is, read from its header without decoding the pixels."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .captions import honest
from .errors import ImageError, decoder_reason
from .exif import (
    coordinate,
    exposure_time,
    parse_exif_datetime,
    parse_iptc_datetime,
    parse_iso_datetime,
    rational,
    tag_value,
)
from .iptc import parse_iptc
from .vips import pyvips
from .xmp import parse_xmp

# libvips loader class -> the format name Filmstrip records. Anything else is refused before
# the file is parsed, so an SVG (say) never reaches its parser.
ACCEPTED_LOADERS = {
    "VipsForeignLoadJpegFile": "jpeg",
    "VipsForeignLoadPngFile": "png",
    "VipsForeignLoadWebpFile": "webp",
    "VipsForeignLoadHeifFile": "heif",
    "VipsForeignLoadTiffFile": "tiff",
    "VipsForeignLoadNsgifFile": "gif",
    "VipsForeignLoadGifFile": "gif",
}
_LOADER_NAME = re.compile(r"^VipsForeignLoad(\w+?)(File|Source|Buffer)?$")
ACCEPTED_NAMES = "JPEG, PNG, WebP, HEIC/HEIF, AVIF, TIFF or GIF"


@dataclass(frozen=True)
class Location:
    """Where the photo was taken: private, stored apart, never published unless opted in."""

    latitude: float
    longitude: float
    altitude: float | None = None


@dataclass(frozen=True)
class Exposure:
    """Camera facts a curious reader may want to see."""

    lens: str = ""
    focal_length: float | None = None  # mm
    f_number: float | None = None
    exposure_time: str = ""  # "1/400"
    iso: int | None = None


@dataclass(frozen=True)
class Probe:
    format: str
    width: int  # as displayed, after EXIF orientation
    height: int
    orientation: int = 1
    captured_at: datetime | None = None
    description: str = ""
    title: str = ""
    alt_text: str = ""
    creator: str = ""
    copyright: str = ""
    camera_make: str = ""
    camera_model: str = ""
    keywords: list[str] = field(default_factory=list)
    exposure: Exposure = field(default_factory=Exposure)
    location: Location | None = None

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _loader(path: Path) -> str:
    """The libvips loader that would open ``path``, judged from its first bytes."""
    found = pyvips.vips_lib.vips_foreign_find_load(str(path).encode())
    return pyvips.ffi.string(found).decode() if found != pyvips.ffi.NULL else ""


def _open(path: Path) -> tuple[pyvips.Image, str]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageError(f"cannot be read: {exc.strerror or exc}") from exc
    if size == 0:
        raise ImageError("the file is empty (0 bytes)")
    loader = _loader(path)
    if loader not in ACCEPTED_LOADERS:
        match = _LOADER_NAME.match(loader)
        if match:
            raise ImageError(f"{match[1].upper()} files are not accepted; use {ACCEPTED_NAMES}")
        raise ImageError(f"not an image Filmstrip can read (expected {ACCEPTED_NAMES})")
    try:
        return pyvips.Image.new_from_file(str(path), access="sequential"), ACCEPTED_LOADERS[loader]
    except pyvips.Error as exc:
        raise ImageError(f"unreadable image: {decoder_reason(exc)}") from exc


def _field(image: pyvips.Image, name: str) -> str:
    if image.get_typeof(name) == 0:
        return ""
    try:
        value = image.get(name)
    except pyvips.Error:
        return ""
    if isinstance(value, bytes):
        return ""
    return tag_value(str(value))


def _blob(image: pyvips.Image, name: str) -> bytes:
    if image.get_typeof(name) == 0:
        return b""
    try:
        value = image.get(name)
    except pyvips.Error:
        return b""
    return value if isinstance(value, bytes) else b""


def _caption(text: str) -> str:
    return honest(text)  # a camera's default or a listing is no caption


def _captured_at(image: pyvips.Image, iptc: dict, xmp: dict) -> datetime | None:
    for tag, offset_tag in (
        ("exif-ifd2-DateTimeOriginal", "exif-ifd2-OffsetTimeOriginal"),
        ("exif-ifd2-DateTimeDigitized", "exif-ifd2-OffsetTimeDigitized"),
    ):
        value = parse_exif_datetime(_field(image, tag), _field(image, offset_tag))
        if value:
            return value
    for key in ("date_time_original", "date_created", "create_date"):
        value = parse_iso_datetime(xmp.get(key, ""))
        if value:
            return value
    if iptc.get("date_created"):
        return parse_iptc_datetime(str(iptc["date_created"]), str(iptc.get("time_created", "")))
    return None


def _exposure(image: pyvips.Image) -> Exposure:
    iso = _field(image, "exif-ifd2-ISOSpeedRatings") or _field(
        image, "exif-ifd2-PhotographicSensitivity"
    )
    return Exposure(
        lens=_field(image, "exif-ifd2-LensModel"),
        focal_length=rational(_field(image, "exif-ifd2-FocalLength")),
        f_number=rational(_field(image, "exif-ifd2-FNumber")),
        exposure_time=exposure_time(_field(image, "exif-ifd2-ExposureTime")),
        iso=int(iso.split()[0]) if iso.split() and iso.split()[0].isdigit() else None,
    )


def _location(image: pyvips.Image) -> Location | None:
    latitude = coordinate(
        _field(image, "exif-ifd3-GPSLatitude"), _field(image, "exif-ifd3-GPSLatitudeRef")
    )
    longitude = coordinate(
        _field(image, "exif-ifd3-GPSLongitude"), _field(image, "exif-ifd3-GPSLongitudeRef")
    )
    if (
        latitude is None
        or longitude is None
        or not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        return None
    altitude = rational(_field(image, "exif-ifd3-GPSAltitude"))
    if altitude is not None and "below" in _field(image, "exif-ifd3-GPSAltitudeRef").lower():
        altitude = -altitude
    return Location(latitude, longitude, altitude)


def probe(path: Path | str) -> Probe:
    """Read format, displayed size and descriptive metadata; raise ImageError if unusable."""
    image, fmt = _open(Path(path))

    orientation = image.get("orientation") if image.get_typeof("orientation") else 1
    orientation = orientation if 1 <= orientation <= 8 else 1
    width, height = image.width, image.height
    if image.get_typeof("page-height") and image.get("page-height") < height:
        height = image.get("page-height")  # animated or multi-page: one frame
    if orientation >= 5:
        width, height = height, width

    iptc = parse_iptc(_blob(image, "iptc-data"))
    xmp = parse_xmp(_blob(image, "xmp-data"))
    description = next(
        (
            c
            for c in (
                _caption(str(iptc.get("caption", ""))),
                _caption(xmp.get("description", "")),
                _caption(_field(image, "exif-ifd0-ImageDescription")),
            )
            if c
        ),
        "",
    )
    title = _caption(
        str(iptc.get("object_name", ""))
        or xmp.get("title", "")
        or str(iptc.get("headline", ""))
        or xmp.get("headline", "")
    )
    keywords = iptc.get("keywords", [])
    return Probe(
        format=fmt,
        width=width,
        height=height,
        orientation=orientation,
        captured_at=_captured_at(image, iptc, xmp),
        description=description,
        title=title if title != description else "",
        alt_text=_caption(xmp.get("alt_text", "")),
        creator=str(iptc.get("byline", ""))
        or xmp.get("creator", "")
        or _field(image, "exif-ifd0-Artist"),
        copyright=str(iptc.get("copyright", ""))
        or xmp.get("rights", "")
        or _field(image, "exif-ifd0-Copyright"),
        camera_make=_field(image, "exif-ifd0-Make"),
        camera_model=_field(image, "exif-ifd0-Model"),
        keywords=list(keywords) if isinstance(keywords, list) else [],
        exposure=_exposure(image),
        location=_location(image),
    )
