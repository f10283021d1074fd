"""Downloaded originals, read back by ExifTool as a reader would: no place, no serial, the same
pixels, and orientation, colour profile and rights kept.

The files are made here (pyvips, then tags written with ExifTool or bytes put in by hand), so
the tests need no corpus; ExifTool is installed by scripts/install-system-deps.
"""

import json
import re
import shutil
import struct
import subprocess
import time

import pytest
import pyvips

from filmstrip.imaging.metadata import MetadataError, for_download, revealing
from tests.conftest import HAVE_CORPUS

pytestmark = pytest.mark.skipif(not shutil.which("exiftool"), reason="needs exiftool")

# Read the way a reader would read it, independently of filmstrip.imaging.metadata.
_NOT_IN_FILE = ("ExifTool", "System", "File", "Composite", "ICC")
_PLACE_OR_SERIAL = re.compile(
    r"GPS|City|Location|Sub-?location|State(?![a-z])|Province|Country|Latitude|Longitude|Serial",
    re.IGNORECASE,
)
_HARMLESS = {"XMP-xmpRights:Marked"}

RIGHTS = [
    "-EXIF:Artist=Jane Runner",
    "-EXIF:Copyright=© 2014 Jane Runner",
    "-XMP-dc:Creator=Jane Runner",
    "-XMP-dc:Rights=© 2014 Jane Runner",
    "-XMP-photoshop:Credit=Pyongyang Marathon",
    "-XMP-xmpRights:WebStatement=https://creativecommons.org/licenses/by/4.0/",
    "-XMP-xmpRights:UsageTerms=Credit and link back",
    "-IPTC:By-line=Jane Runner",
    "-IPTC:CopyrightNotice=© 2014 Jane Runner",
]
KEPT = {
    "IFD0:Orientation": 6,
    "IFD0:Artist": "Jane Runner",
    "IFD0:Copyright": "© 2014 Jane Runner",
    "XMP-dc:Creator": "Jane Runner",
    "XMP-dc:Rights": "© 2014 Jane Runner",
    "XMP-photoshop:Credit": "Pyongyang Marathon",
    "XMP-xmpRights:WebStatement": "https://creativecommons.org/licenses/by/4.0/",
    "XMP-xmpRights:UsageTerms": "Credit and link back",
    "ICC_Profile:ProfileDescription": "sRGB",
}
GPS = ["-GPSLatitude=39.0392", "-GPSLatitudeRef=N", "-GPSLongitude=125.7625", "-GPSLongitudeRef=E"]


def read(path) -> dict:
    """Every tag ExifTool finds, embedded documents included, as {"Group:Name": value}."""
    out = subprocess.run(
        ["exiftool", "-json", "-G1", "-a", "-u", "-ee", "-n", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out.decode(errors="replace"))[0]


def revealed(tags: dict) -> list[str]:
    return [
        key
        for key in tags
        if ":" in key
        and not key.startswith(_NOT_IN_FILE)
        and key not in _HARMLESS
        and _PLACE_OR_SERIAL.search(key.rsplit(":", 1)[1])
    ]


def write_tags(path, *args: str) -> None:
    subprocess.run(
        ["exiftool", "-q", "-q", "-overwrite_original", *args, str(path)],
        check=True,
    )


def make_image(path, **options):
    """A small noisy picture (so its compressed data is not trivial) with an sRGB profile."""
    noise = [pyvips.Image.gaussnoise(64, 48, mean=128, sigma=40).cast("uchar") for _ in range(3)]
    image = noise[0].bandjoin(noise[1:]).copy(interpretation="srgb")
    image.icc_transform("srgb", input_profile="srgb").write_to_file(str(path), **options)
    return path


def photo(tmp_path, *tags: str, suffix=".jpg"):
    path = make_image(tmp_path / f"photo{suffix}")
    write_tags(path, "-Orientation#=6", *RIGHTS, *tags)
    return path


def clean_copy(source, fmt="jpeg", tmp_path=None, **kwargs):
    """The downloadable copy, checked: nothing placing or identifying, same pixels, kept tags."""
    before = read(source)
    data = for_download(source, fmt, **kwargs)
    copy = source.with_name(f"copy{source.suffix}")
    copy.write_bytes(data)
    after = read(copy)
    assert revealed(after) == [], revealed(after)
    for key in KEPT:
        if key in before:
            assert after.get(key) == before[key], key
    original = pyvips.Image.new_from_file(str(source))
    stripped = pyvips.Image.new_from_buffer(data, "")
    assert (original.width, original.height) == (stripped.width, stripped.height)
    assert (original - stripped).abs().max() == 0
    return after


def test_exif_gps_is_removed_and_orientation_colour_and_rights_kept(tmp_path):
    source = photo(tmp_path, *GPS, "-GPSAltitude=30")
    assert revealed(read(source))
    after = clean_copy(source)
    assert {key: after.get(key) for key in KEPT} == KEPT
    assert after["IPTC:By-line"] == "Jane Runner"


def test_dji_drone_xmp_gps_is_removed(tmp_path):
    source = photo(
        tmp_path,
        "-XMP-drone-dji:GpsLatitude=39.0392",
        "-XMP-drone-dji:GpsLongitude=125.7625",
        "-XMP-drone-dji:AbsoluteAltitude=+30.5",
    )
    assert "XMP-drone-dji:GPSLatitude" in read(source)
    clean_copy(source)


def test_place_names_in_iptc_and_xmp_are_removed(tmp_path):
    source = photo(
        tmp_path,
        "-IPTC:City=Pyongyang",
        "-IPTC:Sub-location=Kim Il Sung Stadium, Moranbong",
        "-IPTC:Province-State=Pyongyang",
        "-IPTC:Country-PrimaryLocationName=North Korea",
        "-XMP-photoshop:City=Pyongyang",
        "-XMP-photoshop:State=Pyongyang",
        "-XMP-photoshop:Country=North Korea",
        "-XMP-iptcCore:Location=Kim Il Sung Stadium",
        "-XMP-iptcExt:LocationCreatedCity=Pyongyang",
        "-XMP-iptcExt:LocationShownSublocation=Moranbong",
    )
    assert len(revealed(read(source))) >= 10
    clean_copy(source)


def test_a_fill_byte_after_soi_does_not_let_exif_through(tmp_path):
    source = photo(tmp_path, *GPS)
    data = source.read_bytes()
    # JPEG allows any number of 0xFF before a marker; the old filter stopped reading there.
    source.write_bytes(data[:2] + b"\xff" + data[2:])
    assert "GPS:GPSLatitude" in read(source)
    clean_copy(source)


def _canon_exif(serial: int) -> bytes:
    """A little-endian EXIF block: Make "Canon", and a Canon maker note naming a serial."""
    make = b"Canon\x00"
    # Layout: header 8, IFD0 (2 entries) at 8, Exif IFD (1 entry) at 38, maker note IFD
    # (1 entry) at 56, "Canon" at 74.
    ifd0 = struct.pack("<H", 2) + struct.pack("<HHII", 0x010F, 2, len(make), 74)
    ifd0 += struct.pack("<HHII", 0x8769, 4, 1, 38) + struct.pack("<I", 0)
    note = struct.pack("<H", 1) + struct.pack("<HHII", 0x000C, 4, 1, serial)
    note += struct.pack("<I", 0)
    exif_ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x927C, 7, len(note), 56)
    exif_ifd += struct.pack("<I", 0)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd0 + exif_ifd + note + make
    assert len(b"II*\x00") + 4 + len(ifd0) == 38 and 38 + len(exif_ifd) == 56
    return b"Exif\x00\x00" + tiff


def test_maker_note_and_xmp_serials_are_found_and_removed(tmp_path):
    source = make_image(tmp_path / "photo.jpg")
    data = source.read_bytes()
    app1 = _canon_exif(1234567)
    source.write_bytes(data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:])
    write_tags(
        source,
        "-XMP-aux:SerialNumber=0123456789",
        "-XMP-aux:LensSerialNumber=42",
        "-ExifIFD:SerialNumber=987",
        *RIGHTS,
    )
    tags = read(source)
    assert (
        tags["Canon:SerialNumber"] == 1234567 and str(tags["XMP-aux:SerialNumber"]) == "0123456789"
    )
    found = revealing(source)
    assert {"Canon:SerialNumber", "XMP-aux:SerialNumber", "ExifIFD:SerialNumber"} <= set(
        found.serials
    )
    assert found.location == ()
    clean_copy(source)


def test_an_embedded_thumbnail_with_its_own_gps_is_removed(tmp_path):
    thumb = make_image(tmp_path / "thumb.jpg")
    write_tags(thumb, *GPS)
    source = photo(tmp_path, *GPS, f"-ThumbnailImage<={thumb}")
    assert read(source).get("IFD1:ThumbnailLength")
    after = clean_copy(source)
    assert not any(key.startswith("IFD1:") for key in after)
    assert b"GPS" not in source.with_name("copy.jpg").read_bytes().replace(b"GPSs", b"")


def test_owner_history_ids_and_captions_go_too(tmp_path):
    source = photo(
        tmp_path,
        "-ExifIFD:OwnerName=Jane Runner at home",
        "-ExifIFD:ImageUniqueID=0123456789abcdef0123456789abcdef",
        "-XMP-xmpMM:DocumentID=xmp.did:1234",
        "-XMP-xmpMM:HistoryAction=saved",
        "-XMP-xmpMM:HistoryInstanceID=xmp.iid:5678",
        "-XMP-dc:Description=Near our flat on Changjon Street",
        "-Comment=taken from the hotel window",
    )
    after = clean_copy(source)
    names = {key.rsplit(":", 1)[-1] for key in after}
    assert not names & {"OwnerName", "ImageUniqueID", "DocumentID", "HistoryAction", "Comment"}
    assert "Description" not in names


def test_sharing_the_location_keeps_gps_but_never_serials(tmp_path):
    source = photo(tmp_path, *GPS, "-XMP-aux:SerialNumber=0123456789")
    data = for_download(source, "jpeg", keep_location=True)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(data)
    after = read(copy)
    assert after["GPS:GPSLatitude"] == pytest.approx(39.0392)
    assert not [key for key in after if "Serial" in key]


@pytest.mark.parametrize(("suffix", "fmt"), [(".png", "png"), (".tif", "tiff")])
def test_other_formats_are_stripped_too(tmp_path, suffix, fmt):
    source = photo(tmp_path, *GPS, "-XMP-aux:SerialNumber=0123456789", suffix=suffix)
    assert revealed(read(source))
    clean_copy(source, fmt)


def test_a_tiffs_own_directory_keeps_only_structure_and_rights(tmp_path):
    """ExifTool's "-all=" leaves a TIFF's IFD0 whole: a description, the computer's name or a
    unique id written there would reach readers unless removed by name."""
    identifying = {
        "IFD0:ImageDescription": "Taken at 221B Baker Street",
        "IFD0:HostComputer": "alice-macbook.home",
        "IFD0:XPComment": "near the Eiffel tower",
        "IFD0:Make": "Canon",
        "IFD0:Model": "EOS 5D",
        "IFD0:Software": "Lightroom on alice-macbook",
        "IFD0:ImageUniqueID": "3f2a9c",
        "IFD0:DocumentName": "/Users/alice/Trips/London/IMG_0042.tif",
    }
    source = photo(
        tmp_path, *(f"-{key}={value}" for key, value in identifying.items()), suffix=".tif"
    )
    assert identifying.keys() <= read(source).keys()
    copy = tmp_path / "copy.tif"
    copy.write_bytes(for_download(source, "tiff"))
    after = read(copy)
    assert [key for key in identifying if key in after] == []
    assert after["IFD0:Artist"] == "Jane Runner"
    assert after["IFD0:Orientation"] == 6


REFUSED_WITHIN_SECONDS = 10


def test_a_file_that_makes_exiftool_ask_for_gigabytes_is_refused_at_once(tmp_path):
    """ExifTool 12.57 reads an APP11 segment starting "JP" as a JUMBF box and allocates the size
    it claims: 9 GB for this 600-byte file, unless its memory is limited."""
    plain = pyvips.Image.black(16, 16).write_to_buffer(".jpg")
    payload = b"JP\x00\x00" + b"any text at all, really " * 4
    segment = b"\xff\xeb" + struct.pack(">H", len(payload) + 2) + payload
    source = tmp_path / "jumbf.jpg"
    source.write_bytes(plain[:2] + segment + plain[2:])
    for attempt in (revealing, lambda path: for_download(path, "jpeg")):
        started = time.monotonic()
        with pytest.raises(MetadataError):
            attempt(source)
        # Refused by the memory limit within a second, not by the 30 s time limit.
        assert time.monotonic() - started < REFUSED_WITHIN_SECONDS
    # The next file is served by a fresh ExifTool.
    assert revealing(photo(tmp_path, *GPS)).location


def test_heif_files_are_stripped_too(tmp_path):
    source = make_image(tmp_path / "photo.avif", compression="av1")
    write_tags(source, *GPS, "-XMP-aux:SerialNumber=0123456789", *RIGHTS)
    assert revealed(read(source))
    data = for_download(source, "heif")
    copy = tmp_path / "copy.avif"
    copy.write_bytes(data)
    assert revealed(read(copy)) == []
    assert read(copy)["XMP-dc:Creator"] == "Jane Runner"
    assert read(copy)["ICC_Profile:ProfileDescription"] == "sRGB"
    original, stripped = (
        pyvips.Image.new_from_file(str(source)),
        pyvips.Image.new_from_file(str(copy)),
    )
    assert (original - stripped).abs().max() == 0


def test_a_format_exiftool_cannot_write_is_refused_never_passed_through(tmp_path):
    source = make_image(tmp_path / "photo.webp")
    write_tags(source, *GPS)
    try:
        data = for_download(source, "webp")
    except MetadataError:
        return  # not offered: ExifTool before 12.6x cannot write WebP
    copy = tmp_path / "copy.webp"
    copy.write_bytes(data)
    assert revealed(read(copy)) == []


def test_unknown_formats_and_unreadable_files_are_refused(tmp_path):
    with pytest.raises(MetadataError):
        for_download(make_image(tmp_path / "photo.jpg"), "svg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00")
    with pytest.raises(MetadataError):
        for_download(broken, "jpeg")


# The corpus (../shared/corpus): real cameras' files, hostile ones among them.
_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".avif", ".webp", ".gif"}


@pytest.fixture(scope="module")
def corpus_tags():
    """Every corpus photo's tags, read in one ExifTool run: {path: tags} (without the shared
    corpus, the stand-in one's: the sample and the files made in place of others)."""
    from tests.conftest import corpus_sweep

    read = ["exiftool", "-q", "-q", "-r", "-json", "-G1", "-a", "-u", "-ee", "-n"]
    out = subprocess.run(
        [*read, str(corpus_sweep())],
        capture_output=True,
        check=False,
    ).stdout
    return {
        tags["SourceFile"]: tags
        for tags in json.loads(out.decode(errors="replace"))
        if tags["SourceFile"].lower().endswith(tuple(_SUFFIXES))
    }


def test_every_corpus_photo_with_a_place_or_serial_downloads_clean(corpus_tags, tmp_path):
    from filmstrip.imaging import ImageError, probe

    copies, withheld = {}, {}
    for number, (path, tags) in enumerate(sorted(corpus_tags.items())):
        if not revealed(tags):
            continue
        try:
            fmt = probe(path).format
        except ImageError:
            continue  # refused at upload: never stored, never offered
        try:
            data = for_download(path, fmt)
        except MetadataError as exc:
            withheld[path] = str(exc)
            continue
        copy = tmp_path / f"{number}{path[path.rindex('.') :]}"
        copy.write_bytes(data)
        copies[str(copy)] = path
    out = subprocess.run(
        ["exiftool", "-json", "-G1", "-a", "-u", "-ee", "-n", *copies],
        capture_output=True,
        check=False,
    ).stdout
    checked = 0
    for after in json.loads(out.decode(errors="replace")):
        before = corpus_tags[copies[after["SourceFile"]]]
        assert revealed(after) == [], (copies[after["SourceFile"]], revealed(after))
        for key in KEPT:
            if key in before:
                assert after.get(key) == before[key], (copies[after["SourceFile"]], key)
        checked += 1
    assert checked == len(copies) > (60 if HAVE_CORPUS else 6)
    # Only what ExifTool cannot write (WebP before 12.6x), cannot read back, or finds damaged
    # (a hostile file, such as a HEIC cut short) is withheld.
    print(f"{len(copies)} clean copies, {len(withheld)} withheld: {withheld}")
    assert all(
        path.endswith(".webp") or "cannot read" in why or "/bad/" in path
        for path, why in withheld.items()
    )


def test_serials_are_found_wherever_exiftool_finds_them_in_the_corpus(corpus_tags):
    from filmstrip.imaging import ImageError, probe

    with_serials = []
    for path, tags in sorted(corpus_tags.items()):
        if [key for key in tags if "Serial" in key.rsplit(":", 1)[-1]]:
            try:
                probe(path)
            except ImageError:
                continue
            with_serials.append(path)
    missed = [path for path in with_serials if not revealing(path).serials]
    assert missed == []
    makers = {"Canon", "Nikon", "Olympus", "Panasonic", "Sony", "Leica", "Kodak", "FLIR"}
    in_maker_notes = [
        path
        for path in with_serials
        if any(key.split(":")[0] in makers and "Serial" in key for key in corpus_tags[path])
    ]
    print(f"serials found in {len(with_serials)} photos, {len(in_maker_notes)} in maker notes")
    if HAVE_CORPUS:
        assert len(with_serials) > 40 and len(in_maker_notes) > 15
    else:  # the made Nikon D90's maker notes and the made FLIR's XMP
        assert len(with_serials) >= 2 and len(in_maker_notes) >= 1


def test_exiftool_that_hangs_or_dies_is_replaced(tmp_path, monkeypatch):
    from filmstrip.imaging import metadata

    source = photo(tmp_path, *GPS)
    assert revealing(source).location
    metadata._process._process.kill()  # died between two commands
    assert revealing(source).location
    monkeypatch.setattr(metadata, "TIMEOUT_SECONDS", 0)
    with pytest.raises(MetadataError, match="took longer than 0 s"):
        revealing(source)
    monkeypatch.undo()
    assert revealing(source).location
