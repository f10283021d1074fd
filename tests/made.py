"""Files the tests make for themselves, in place of shared-corpus files whose licence does not let
us commit them (tests/data/corpus/CREDITS.md).

Each maker writes, at the path it is given, a file with the properties the tests read from the
corpus file of the same name: its size, format, frames, tags, or the damage it carries. The
pixels are drawn here; the tags are written with Pillow, pillow-heif or ExifTool. Without the
shared corpus, ``tests/conftest.py`` makes them under the corpus's own paths.
"""

import random
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, DESCRIPTION, ORIENTATION = 0x010F, 0x0110, 0x010E, 0x0112
DATE_ORIGINAL, ISO, MAKER_NOTE = 0x9003, 0x8827, 0x927C


def scene(width: int, height: int, seed: int = 0, alpha: bool = False) -> Image.Image:
    """A photo-like picture: gradients, grain and shapes, so that encoders have work to do."""
    rng = random.Random(seed)
    bands = [
        Image.linear_gradient("L").resize((width, height)),
        Image.effect_noise((width, height), 30 + seed % 40).point(lambda v: v // 2 + 64),
        Image.radial_gradient("L").resize((width, height)),
    ]
    picture = Image.merge("RGB", bands)
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(4, max(5, min(width, height) // 3))
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + size, y + size), fill=colour)
    if alpha:
        mask = Image.radial_gradient("L").resize((width, height)).point(lambda v: 255 - v)
        picture.putalpha(mask)
    return picture


def exiftool(path: Path, *arguments: str) -> None:
    subprocess.run(
        ["exiftool", "-q", "-q", "-overwrite_original", *arguments, str(path)], check=True
    )


def nikon_maker_note(serial: str) -> bytes:
    """A Nikon (type 3) maker note holding a version and the camera's serial number: ExifTool
    reads maker notes but cannot create them, so the block is written here."""
    text = serial.encode() + b"\x00"
    entries = 2
    data_at = 8 + 2 + 12 * entries + 4  # after the TIFF header, the IFD and its next-offset
    ifd = struct.pack(">H", entries)
    ifd += struct.pack(">HHI4s", 0x0001, 7, 4, b"0210")  # MakerNoteVersion
    ifd += struct.pack(">HHII", 0x001D, 2, len(text), data_at)  # SerialNumber
    ifd += struct.pack(">I", 0)
    return b"Nikon\x00\x02\x10\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + ifd + text


def camera_jpeg(path: Path, picture: Image.Image, tags: dict, exif_tags=None, gps=None) -> None:
    exif = Image.Exif()
    exif.update(tags)
    if exif_tags:
        exif.get_ifd(EXIF_IFD).update(exif_tags)
    if gps:
        exif.get_ifd(GPS_IFD).update(gps)
    picture.save(path, "JPEG", quality=88, exif=exif.tobytes())


def dscn0010(path: Path) -> None:
    """A Nikon compact's street photo with the place, the camera and its exposure."""
    camera_jpeg(
        path,
        scene(640, 480, seed=10),
        {MAKE: "NIKON", MODEL: "COOLPIX P6000", ORIENTATION: 1},
        {DATE_ORIGINAL: "2008:10:22 16:28:39", ISO: 64},
    )
    exiftool(
        path,
        "-ExposureTime=1/75",
        "-FNumber=5.9",
        "-FocalLength=24",
        "-GPSLatitude=43.4674483333",
        "-GPSLatitudeRef=N",
        "-GPSLongitude=11.8851266667",
        "-GPSLongitudeRef=E",
        "-GPSMapDatum=WGS-84",
    )


def nikon_d90(path: Path) -> None:
    """A Nikon SLR's full-size photo (several upload chunks) whose only serial number is in its
    maker notes."""
    camera_jpeg(
        path,
        scene(4288, 2848, seed=90),
        {MAKE: "NIKON CORPORATION", MODEL: "NIKON D90", ORIENTATION: 1},
        {DATE_ORIGINAL: "2011:04:25 01:55:30", MAKER_NOTE: nikon_maker_note("2188172")},
    )


def flir_vue(path: Path) -> None:
    """A thermal camera's photo whose serial numbers are in XMP. (The corpus file keeps them in
    FLIR's own APP1 segment, which ExifTool cannot write: the shared sweep covers that one.)"""
    camera_jpeg(path, scene(640, 512, seed=64), {MAKE: "FLIR"})
    exiftool(path, "-XMP-aux:SerialNumber=162682", "-XMP-aux:LensSerialNumber=1175627")


def goalie(path: Path) -> None:
    """No EXIF at all: the caption and a capture time with its zone (UTC+2) only in XMP."""
    scene(322, 466, seed=3).save(path, "JPEG", quality=85)
    exiftool(
        path,
        "-XMP-dc:Title=Der Goalie bin ig",
        "-XMP-dc:Description=Der Goalie bin ig",
        "-XMP-xmp:CreateDate=2013:09:23 10:09:46+02:00",
    )


def damaged_jpeg(path: Path) -> None:
    """A camera's JPEG, with restart markers as cameras write them, whose header and tags read
    fine and whose picture data stops a third of the way in, at an end marker (not cut short:
    its ending is intact, as in the corpus file)."""
    import pyvips

    camera_jpeg(
        path,
        scene(1600, 1200, seed=7),
        {MAKE: "OLYMPUS IMAGING CORP.", MODEL: "u1020,S1020"},
        {DATE_ORIGINAL: "2015:09:08 11:02:17"},
    )
    data = pyvips.Image.new_from_file(str(path)).jpegsave_buffer(Q=88, restart_interval=16)
    start = data.index(b"\xff\xda")  # the scan
    path.write_bytes(data[: start + (len(data) - start) // 3] + b"\xff\xd9")


def _sof(data: bytes) -> int:
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        if marker in data:
            return data.index(marker)
    raise ValueError("no frame header")


def jpeg_bomb(path: Path) -> None:
    """A small JPEG whose frame header declares 49157×27397 pixels."""
    scene(64, 48).save(path, "JPEG")
    data = bytearray(path.read_bytes())
    at = _sof(data) + 5  # marker, length, precision; then height and width
    data[at : at + 4] = struct.pack(">HH", 27397, 49157)
    path.write_bytes(bytes(data))


def png_bomb(path: Path) -> None:
    """A small PNG whose header declares 15.4 million rows, followed, as in the corpus file, by
    a chunk whose length is wrong."""
    scene(32, 32).save(path, "PNG")
    data = path.read_bytes()
    header = data.index(b"IHDR")
    fields = data[header : header + 4] + data[header + 4 : header + 8]
    fields += struct.pack(">I", 15_403_836) + data[header + 12 : header + 17]
    crc = struct.pack(">I", zlib.crc32(fields))
    damaged = struct.pack(">I", 46) + b"gAMA" + struct.pack(">I", 45455) + bytes(8)
    path.write_bytes(data[:header] + fields + crc + damaged + data[header + 21 :])


def portrait_heic(path: Path) -> None:
    """An iPhone-style HEIC: landscape pixels that the container turns upright (its rotation
    property) and EXIF orientation 6 saying the same, which must not turn it twice."""
    import pillow_heif

    exif = Image.Exif()
    exif.update({MAKE: "Apple", MODEL: "iPhone XS", ORIENTATION: 6})
    # Smooth, and the fastest preset: 7.7 million pixels of grain take x265 many seconds.
    width, height = 3200, 2400
    bands = [Image.linear_gradient("L"), Image.radial_gradient("L"), Image.linear_gradient("L")]
    bands[2] = bands[2].rotate(90)
    picture = Image.merge("RGB", [band.resize((width, height)) for band in bands])
    heif = pillow_heif.from_pillow(picture)
    heif.save(path, exif=exif.tobytes(), quality=10, enc_params={"preset": "ultrafast"})


def animation(size: tuple[int, int], frames: int, fmt: str, **save) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        width, height = size
        pictures = []
        for n in range(frames):
            picture = scene(width, height, seed=1, alpha=True)
            ImageDraw.Draw(picture).rectangle(
                (0, 0, (n + 1) * width // frames, height // 4), fill=(255, n * 2 % 256, 0, 255)
            )
            pictures.append(picture)
        pictures[0].save(
            path, fmt, save_all=True, append_images=pictures[1:], duration=40, loop=0, **save
        )

    return make


def still(
    size: tuple[int, int], fmt: str, alpha=False, seed: int = 0, **save
) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        scene(*size, seed=seed or size[0], alpha=alpha).save(path, fmt, **save)

    return make


def png_with_exif(path: Path) -> None:
    scene(256, 256, seed=256).save(path, "PNG")
    exiftool(path, "-Make=Canon", "-Model=Canon EOS 5D", "-DateTimeOriginal=2010:01:02 03:04:05")


def big_jpeg(seed: int) -> Callable[[Path], None]:
    """A phone-sized photo (4032×3024), slow enough to render that a job can be caught in it."""

    def make(path: Path) -> None:
        scene(4032, 3024, seed=seed).save(path, "JPEG", quality=92)

    return make


def damaged_copies(sources: list[Path]) -> dict[str, Callable[[Path], None]]:
    """Hostile files made from real ones: cut short, cut after the header, scribbled over,
    wearing another format's signature; and files that are no image at all."""

    def cut(source: Path, keep: float) -> Callable[[Path], None]:
        return lambda path: path.write_bytes(
            source.read_bytes()[: int(source.stat().st_size * keep)]
        )

    def header_only(source: Path) -> Callable[[Path], None]:
        return lambda path: path.write_bytes(source.read_bytes()[:600])

    def scribbled(source: Path) -> Callable[[Path], None]:
        def make(path: Path) -> None:
            data = bytearray(source.read_bytes())
            rng = random.Random(len(data))
            for at in range(len(data) // 4, len(data), 61):
                data[at] = rng.randrange(256)
            path.write_bytes(bytes(data))

        return make

    def disguised(source: Path) -> Callable[[Path], None]:
        signature = b"\x89PNG\r\n\x1a\n" if source.suffix != ".png" else b"\xff\xd8\xff\xe0"
        return lambda path: path.write_bytes(signature + source.read_bytes()[len(signature) :])

    made: dict[str, Callable[[Path], None]] = {}
    for source in sources:
        for kind, maker in (
            ("cut-short", cut(source, 0.4)),
            ("cut-at-header", header_only(source)),
            ("scribbled", scribbled(source)),
            ("disguised", disguised(source)),
        ):
            made[f"bad/made/{kind}/{source.name}"] = maker
    for name, data in (
        ("empty.jpg", b""),
        ("notes.jpg", b"Remember the sunscreen."),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>'),
        ("page.webp", b"<!doctype html><title>not a photo</title>"),
        ("archive.gif", b"PK\x03\x04" + bytes(200)),
        ("riff.webp", b"RIFF\xff\xff\xff\x7fWEBPVP8 " + bytes(64)),
        ("gif.gif", b"GIF89a\xff\xff\xff\xff" + bytes(32)),
    ):
        made[f"bad/made/not-images/{name}"] = lambda path, data=data: path.write_bytes(data)
    return made


def walk(count: int) -> dict[str, Callable[[Path], None]]:
    """Distinct photos of a few hundred kilobytes, for the browser test that uploads thirty."""
    return {
        f"photos/made/walk/{n:02}.jpg": still((1200, 900), "JPEG", seed=100 + n, quality=88)
        for n in range(count)
    }


_ME = "photos/metadata-extractor-images"
_TEXT = "photos/immich-test-assets/albums/text"

MADE: dict[str, Callable[[Path], None]] = {
    "photos/exif-py/jpg/gps/DSCN0010.jpg": dscn0010,
    "photos/exif-py/jpg/xmp/no_exif.jpg": goalie,
    f"{_ME}/jpg/Nikon D90.jpg": nikon_d90,
    f"{_ME}/jpg/FLIR Vue Pro 640.jpg": flir_vue,
    f"{_ME}/heic/IMG_2927.HEIC": portrait_heic,
    f"{_ME}/webp/Animation Lossy.webp": animation((320, 240), 101, "WEBP", quality=60),
    "photos/scikit-image-data/no_time_for_that_tiny.gif": animation((14, 25), 24, "GIF"),
    f"{_ME}/png/sampleWithExifData.png": png_with_exif,
    "photos/exif-py/tiff/Crémieux11.tiff": still((199, 47), "TIFF", alpha=True),
    f"{_ME}/webp/Alpha Lossless (1).webp": still((400, 301), "WEBP", alpha=True, lossless=True),
    f"{_ME}/webp/Alpha Lossy (2).webp": still((386, 395), "WEBP", alpha=True, quality=70),
    f"{_ME}/webp/webpvp8l.webp": still((1200, 900), "WEBP", lossless=True),
    f"{_ME}/gif/Issue 201.gif": still((500, 375), "GIF", alpha=True, transparency=0),
    "bad/exif-py/jpg/corrupted.jpg": damaged_jpeg,
    "bad/imagetestsuite/jpg/6903d4538fd33c8fd0ded32cb30d618e.jpg": jpeg_bomb,
    "bad/imagetestsuite/png/817f96555e2d683e7b12f778c4e38022.png": png_bomb,
    **{
        f"{_TEXT}/{name}": big_jpeg(seed)
        for seed, name in enumerate(
            (
                "craft-beer.jpg",
                "handwritten-notes.jpg",
                "book-beside-flowers.jpg",
                "japanese-shop.jpg",
            )
        )
    },
}
