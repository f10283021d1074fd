"""Decode a photo once and make every published rendition from that one decode.

The largest rendition comes straight from libvips' shrink-on-load thumbnailer (EXIF orientation
applied, embedded colour profile converted to sRGB); the smaller ones are resized from it in
memory. Encoders are told to keep no metadata at all, so nothing private leaves the server.
"""

import base64
from dataclasses import dataclass, replace
from pathlib import Path

import thumbhash

from . import heif
from .colour import Cicp
from .errors import decoding_failed
from .rights import Rights
from .vips import pyvips

# Bumped whenever the bytes a spec produces change, so that rendition names change with them.
PIPELINE_VERSION = 3
# Encoder options beyond quality, each chosen by benchmarks/quality.py. libwebp's effort (its
# "method") 2 gives the same butteraugli distance as 4 with 3% more bytes, twice as fast.
# The JPEG is the fallback that browsers with WebP never fetch: baseline with optimised Huffman
# tables decodes to the same pixels as progressive, 3-4% larger, in half the encoding time.
WEBP_OPTIONS = {"effort": 2}
JPEG_OPTIONS = {"optimize_coding": True}
FORMATS = {"jpeg": ".jpg", "webp": ".webp"}
Colour = tuple[int, int, int]  # r, g, b, each 0-255


@dataclass(frozen=True)
class RenditionSpec:
    width: int
    format: str
    quality: int

    def __post_init__(self):
        if self.format not in FORMATS:
            raise ValueError(
                f"unknown rendition format {self.format!r}; use one of {list(FORMATS)}"
            )
        if not 1 <= self.quality <= 100:
            raise ValueError(f"quality must be 1-100, not {self.quality}")
        if self.width < 1:
            raise ValueError(f"width must be positive, not {self.width}")

    @property
    def extension(self) -> str:
        return FORMATS[self.format]

    @property
    def key(self) -> str:
        """Everything that decides the output bytes, for content-addressed names."""
        return f"{self.width}w-q{self.quality}-v{PIPELINE_VERSION}{self.extension}"


@dataclass(frozen=True)
class RenderedImage:
    spec: RenditionSpec
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class RenderResult:
    images: list[RenderedImage]
    dominant_color: str  # "#rrggbb", the placeholder without JavaScript
    thumbhash: str = ""  # base64 ThumbHash: a blurred preview in about 25 bytes


def ladder(display_width: int, widths: tuple[int, ...] | list[int]) -> list[int]:
    """The widths to make for a photo ``display_width`` wide: never wider than the photo.

    A photo narrower than the top of the ladder gets its own width as its largest rendition.
    """
    chosen = sorted({w for w in widths if w < display_width})
    if display_width <= max(widths):
        chosen.append(display_width)
    else:
        chosen = sorted({w for w in widths})
    return chosen


def _to_srgb8(image: pyvips.Image) -> pyvips.Image:
    if image.interpretation not in ("srgb", "b-w") or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image


def _strip(image: pyvips.Image, rights: Rights) -> tuple[pyvips.Image, str]:
    """Drop every metadata field the source brought; add the rights, if any, as our own XMP.

    Returns the image and the ``keep`` option for the encoder.
    """
    image = image.copy()
    for name in image.get_fields():
        if name.startswith(("exif-", "xmp-", "iptc-", "icc-", "jpeg-thumbnail")):
            image.remove(name)
    if not rights:
        return image, "none"
    image.set_type(pyvips.GValue.blob_type, "xmp-data", rights.xmp())
    return image, "xmp"


def _encode(image: pyvips.Image, spec: RenditionSpec, keep: str) -> bytes:
    if spec.format == "jpeg":
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        return image.jpegsave_buffer(Q=spec.quality, keep=keep, **JPEG_OPTIONS)
    return image.webpsave_buffer(Q=spec.quality, keep=keep, **WEBP_OPTIONS)


def _dominant_color(image: pyvips.Image, backdrop: Colour) -> str:
    if image.hasalpha():
        image = image.flatten(background=list(backdrop))
    bands = image.extract_band(0, n=3) if image.bands >= 3 else image.extract_band(0)
    means = [round(bands.extract_band(i).avg()) for i in range(bands.bands)]
    if len(means) == 1:
        means *= 3
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, m)) for m in means))


# An animation is kept only at widths where all its frames together stay this small.
MAX_ANIMATION_PIXELS = 100_000_000


@dataclass(frozen=True)
class _Header:
    colour_managed: bool  # carries a profile (or is CMYK): must be converted to sRGB
    frames: int  # more than one for an animated GIF or WebP
    width: int = 0  # of one frame, as stored
    height: int = 0
    cicp: Cicp | None = None  # wide-gamut or HDR colour stated without a profile (HEIF, AVIF)

    def animation_width(self, width: int) -> int:
        """The widest an animation may be made, at most ``width``: 0 if it is a still."""
        if self.frames < 2:
            return 0
        fits = (MAX_ANIMATION_PIXELS * self.width / (self.frames * self.height)) ** 0.5
        return int(min(width, self.width, fits))

    @classmethod
    def read(cls, path: str) -> "_Header":
        header = pyvips.Image.new_from_file(path)
        loader = header.get("vips-loader")
        animated = loader.startswith(("gifload", "webpload"))
        frames = header.get("n-pages") if animated and header.get_typeof("n-pages") else 1
        profiled = bool(header.get_typeof("icc-profile-data"))
        return cls(
            # Converting an untagged file "from sRGB to sRGB" changes nothing but costs a full
            # colour transform (0.4 s for a 10 MP photo here), so only tagged files get one.
            colour_managed=profiled or header.interpretation == "cmyk",
            cicp=Cicp.read(path) if loader.startswith("heifload") and not profiled else None,
            frames=frames,
            width=header.width,
            height=header.height,
        )


def _animation(path: str, width: int) -> pyvips.Image:
    """Every frame, decoded once, no wider than ``width``."""
    animation = pyvips.Image.thumbnail(f"{path}[n=-1]", width, height=10_000_000, size="down")
    return _to_srgb8(animation).copy_memory()


def _frames_at(animation: pyvips.Image, width: int) -> pyvips.Image:
    """``animation`` made ``width`` wide frame by frame, so that no frame bleeds into the next."""
    if width >= animation.width:
        return animation
    page = animation.get("page-height")
    height = max(1, round(page * width / animation.width))
    frames = [
        animation.crop(0, top, animation.width, page).resize(
            width / animation.width, vscale=height / page
        )
        for top in range(0, animation.height, page)
    ]
    joined = pyvips.Image.arrayjoin(frames, across=1).copy()  # delays and loops from frame 1
    joined.set_type(pyvips.GValue.gint_type, "page-height", height)
    return joined.copy_memory()


def _in_srgb(image: pyvips.Image, header: _Header) -> pyvips.Image:
    return header.cicp.to_srgb(image) if header.cicp else _to_srgb8(image)


def _decode(path: str, width: int, header: _Header, height: int = 10_000_000) -> pyvips.Image:
    """Decode once, shrinking on load where the format allows, to within ``width``×``height``."""
    try:
        # height is only a bound: the width decides; "down" never enlarges. Without
        # export_profile libvips keeps an embedded profile's numbers as they are, and a Display
        # P3 or Adobe RGB photo would look washed out; with it, the profile is converted to sRGB.
        colour = {"export_profile": "srgb"} if header.colour_managed else {}
        top = pyvips.Image.thumbnail(
            path, width, height=height, size="down", fail_on="error", **colour
        )
        return _in_srgb(top, header).copy_memory()
    except pyvips.Error as exc:
        if not heif.needs_libheif(exc):
            raise
    try:
        return _in_srgb(heif.decode(path, width, height), header).copy_memory()
    except (ValueError, OSError, RuntimeError) as exc:  # what pillow-heif raises on bad files
        raise decoding_failed(exc) from exc


TURNS = {0: "", 90: "d90", 180: "d180", 270: "d270"}  # degrees clockwise: libvips' angle


def _turn(image: pyvips.Image, rotation: int) -> pyvips.Image:
    """``image`` turned ``rotation`` degrees clockwise; an animation frame by frame."""
    if not rotation:
        return image
    if not image.get_typeof("page-height") or image.get("page-height") >= image.height:
        return image.rot(TURNS[rotation]).copy_memory()
    page = image.get("page-height")
    frames = [
        image.crop(0, top, image.width, page).rot(TURNS[rotation])
        for top in range(0, image.height, page)
    ]
    joined = pyvips.Image.arrayjoin(frames, across=1).copy()  # delays and loops from frame 1
    joined.set_type(pyvips.GValue.gint_type, "page-height", frames[0].height)
    return joined.copy_memory()


def _thumbhash(image: pyvips.Image, backdrop: Colour) -> str:
    """The ThumbHash of ``image``: 32 px of input give the same hash as 100 px, 4× faster."""
    small = image.thumbnail_image(32, height=32)
    if small.hasalpha():
        # thumbhash 0.1.2 fails on transparent input; the backdrop shows through anyway.
        small = small.flatten(background=list(backdrop))
    if small.bands < 3:
        small = small.colourspace("srgb")
    small = small.bandjoin(255)
    rgba = list(bytes(small.extract_band(0, n=4).write_to_memory()))
    hashed = thumbhash.rgba_to_thumb_hash(small.width, small.height, rgba)
    return base64.b64encode(bytes(hashed)).decode()


NO_RIGHTS = Rights()
WHITE: Colour = (255, 255, 255)


def render(
    path: Path | str,
    specs: list[RenditionSpec],
    rights: Rights = NO_RIGHTS,
    backdrop: Colour = WHITE,
    rotation: int = 0,
) -> RenderResult:
    """Make every rendition in ``specs`` from the file at ``path``; raise ImageError on failure.

    Specs wider than the photo are made at the photo's own width (never upscaled). Renditions
    carry no metadata from the source, only ``rights`` (creator, copyright, credit, licence).
    The placeholders (colour and ThumbHash) show a transparent photo over ``backdrop`` (r, g, b),
    the colour the reader sees under it. ``rotation`` (0, 90, 180 or 270 degrees clockwise,
    after the EXIF orientation) turns the photo; spec widths are of the photo as turned.
    """
    if not specs:
        raise ValueError("render() needs at least one rendition spec")
    if rotation not in TURNS:
        raise ValueError(f"rotation must be one of {list(TURNS)}, not {rotation!r}")
    top_width = max(spec.width for spec in specs)
    turned = rotation in (90, 270)  # then the width wanted is the height decoded
    try:
        header = _Header.read(str(path))
        box = (10_000_000, top_width) if turned else (top_width, 10_000_000)
        top = _turn(_decode(str(path), box[0], header, height=box[1]), rotation)
        top, keep = _strip(top, rights)
        # WebP can animate, so an animated GIF or WebP stays animated; JPEG gets frame 1.
        shown = replace(header, width=header.height, height=header.width) if turned else header
        animation_width = any(s.format == "webp" for s in specs) and shown.animation_width(
            top_width
        )
        animation = None
        if animation_width:
            # Animations carry no EXIF orientation: the frames as stored are as shown, unturned.
            decoded = max(1, round(animation_width * shown.height / shown.width)) if turned else 0
            frames = _turn(_animation(str(path), decoded or animation_width), rotation)
            animation = _strip(frames, rights)[0]
        resized: dict[int, pyvips.Image] = {}
        images = []
        for spec in sorted(specs, key=lambda s: -s.width):
            width = min(spec.width, top.width)
            if width not in resized:
                if width == top.width:
                    resized[width] = top
                else:
                    height = max(1, round(top.height * width / top.width))
                    # Held in memory (under 6 MB at 1600 px): otherwise libvips would resize
                    # again for every encoder and every placeholder pass that reads it.
                    resized[width] = top.resize(
                        width / top.width, vscale=height / top.height
                    ).copy_memory()
            image, height = resized[width], resized[width].height
            if animation is not None and spec.format == "webp" and width <= animation.width:
                image = _frames_at(animation, width)
                height = image.get("page-height")
            images.append(RenderedImage(spec, image.width, height, _encode(image, spec, keep)))
        # The smallest rendition gives the same average colour at a fraction of the work.
        smallest = resized[min(resized)]
        return RenderResult(
            images=images,
            dominant_color=_dominant_color(smallest, backdrop),
            thumbhash=_thumbhash(smallest, backdrop),
        )
    except pyvips.Error as exc:
        raise decoding_failed(exc) from exc
