"""What an original's metadata reveals, and a copy of it that reveals only what readers need.

ExifTool reads and writes every format Filmstrip accepts. exiv2 was weighed first and falls
short: it copies APP segments it does not know (FLIR's, with their own GPS and serials) and
everything after a JPEG's end (an MPO's second image, with its own EXIF) into what it writes,
and it cannot write HEIC or AVIF. ExifTool's ``-all=`` drops every block it knows, maker notes,
thumbnails, trailers and unknown segments included, without touching the image data.

The copy works from an allow-list (orientation, colour, rights); whatever is not on it goes.
Each copy is read back and refused if anything locating or identifying is left, so a failure of
any kind means no copy, never a leaky one. ExifTool is Perl, so a hostile file cannot corrupt
memory; one that makes it too slow is given up on after TIMEOUT_SECONDS, and one that makes it
ask for gigabytes (a 700-byte JPEG with a crafted JUMBF box size did) fails at MEMORY_BYTES.
"""

import json
import os
import re
import resource
import secrets
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 30
# Address space of the ExifTool process: Perl and a copy of the largest accepted original.
MEMORY_BYTES = 1024 * 1024 * 1024

# Tags a downloaded original keeps: how to show it, and whose it is (see rights.Rights).
KEEP = (
    "EXIF:Orientation",
    "ExifIFD:ColorSpace",
    "InteropIFD:InteropIndex",
    "EXIF:Artist",
    "EXIF:Copyright",
    "IPTC:By-line",
    "IPTC:CopyrightNotice",
    "IPTC:Credit",
    "XMP-dc:Creator",
    "XMP-dc:Rights",
    "XMP-photoshop:Credit",
    "XMP-xmpRights:WebStatement",
    "XMP-xmpRights:UsageTerms",
    "XMP-xmpRights:Marked",
    "XMP-cc:License",
)
KEEP_LOCATION = ("GPS:all",)
# A TIFF's first directory (IFD0) holds the image's own structure, so "-all=" leaves all of it,
# description, make, model, host computer and unique id included. Everything in it but these
# (and what KEEP puts back) is removed by name, and the copy may hold nothing else there.
TIFF_STRUCTURE = frozenset(
    {
        "SubfileType",
        "OldSubfileType",
        "ImageWidth",
        "ImageHeight",
        "BitsPerSample",
        "Compression",
        "PhotometricInterpretation",
        "FillOrder",
        "StripOffsets",
        "Orientation",
        "SamplesPerPixel",
        "RowsPerStrip",
        "StripByteCounts",
        "MinSampleValue",
        "MaxSampleValue",
        "XResolution",
        "YResolution",
        "PlanarConfiguration",
        "ResolutionUnit",
        "TransferFunction",
        "Predictor",
        "WhitePoint",
        "PrimaryChromaticities",
        "ColorMap",
        "TileWidth",
        "TileLength",
        "TileOffsets",
        "TileByteCounts",
        "InkSet",
        "ExtraSamples",
        "SampleFormat",
        "JPEGTables",
        "YCbCrCoefficients",
        "YCbCrSubSampling",
        "YCbCrPositioning",
        "ReferenceBlackWhite",
        "Artist",
        "Copyright",
    }
)
# Formats (as probe names them) and the suffix ExifTool knows each by. WebP is written only by
# ExifTool versions that write RIFF files (Debian 12's 12.57 does not): until then, withheld.
SUFFIXES = {
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "heif": "heic",
    "tiff": "tif",
    "gif": "gif",
}

# Read by the tools, not from the file.
_DERIVED_GROUPS = {"ExifTool", "System", "File", "Composite"}
# Tag names as ExifTool spells them. "Serial" anywhere, in any group (maker notes, XMP aux,
# FLIR...); a place by GPS in any case (DJI writes "Gps"), address words and IPTC's location
# structures, but not a maker's "FocusLocation" or "BatteryState".
_SERIAL = re.compile(r"Serial", re.IGNORECASE)
_LOCATION = re.compile(
    r"GPS|City|Sub-?location|Province|Country|WorldRegion|Latitude|Longitude|^Location|^State$",
    re.IGNORECASE,
)

# GPS tags that name no place: a file with nothing else does not say where it was taken.
_PLACELESS = {"GPSVersionID", "GPSMapDatum"}


class MetadataError(Exception):
    """The metadata could not be read or removed; the message is fit to show an author."""


@dataclass(frozen=True)
class Revealing:
    """Tags (ExifTool's ``Group:Name``) that place a photo or identify its camera."""

    location: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()


def available() -> bool:
    return shutil.which("exiftool") is not None


class _Stopped(Exception):
    """The ExifTool process ended (or its pipe broke) before answering."""


class _ExifTool:
    """One ExifTool kept running (``-stay_open``): Perl and its modules load once per process,
    not once per file (about 0.4 s each time; a command then takes tens of milliseconds).

    Commands are sent one at a time; a command that takes too long, or a process that dies, is
    ended and the next command starts a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._pid = 0
        self._number = 0

    def run(self, args: tuple[str, ...]) -> tuple[str, str]:
        """(standard output, standard error) of one command."""
        if any("\n" in arg for arg in args):
            raise MetadataError("a file name with a line break")
        with self._lock:
            for _ in range(2):
                fresh = self._process is None or self._pid != os.getpid()
                if fresh or self._running.poll() is not None:
                    self._start()
                try:
                    return self._send(args)
                except _Stopped:
                    self._stop()
                if fresh:
                    break
                # Otherwise it had died since the last command, unnoticed: once more.
            raise MetadataError("ExifTool stopped without an answer")

    @property
    def _running(self) -> subprocess.Popen:
        assert self._process is not None, "run() starts it first"
        return self._process

    def _send(self, args: tuple[str, ...]) -> tuple[str, str]:
        self._number += 1
        # ExifTool ends its output with "{readyN}"; the end of its messages is marked with a
        # token no file can know, since warnings may quote what a file says.
        markers = (f"{{ready{self._number}}}".encode(), secrets.token_hex(16).encode())
        command = ["-quiet", "-ignoreMinorErrors", *args, "-echo4", markers[1].decode()]
        command.append(f"-execute{self._number}")
        try:
            stdin = self._running.stdin
            assert stdin is not None  # a pipe: started with stdin=PIPE
            stdin.write(("\n".join(command) + "\n").encode())
            stdin.flush()
            return self._read(markers)
        except OSError as exc:
            raise _Stopped from exc
        except MetadataError:
            self._stop()
            raise

    def _read(self, markers: tuple[bytes, bytes]) -> tuple[str, str]:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        process = self._running
        assert process.stdout is not None and process.stderr is not None  # pipes, from _start
        streams = (process.stdout, process.stderr)
        chunks: dict[Any, bytes] = {stream: b"" for stream in streams}
        ends = dict(zip(streams, markers, strict=True))
        with selectors.DefaultSelector() as selector:
            for stream in streams:
                selector.register(stream, selectors.EVENT_READ)
            while not all(chunks[s].rstrip().endswith(ends[s]) for s in streams):
                ready = selector.select(max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise MetadataError(f"ExifTool took longer than {TIMEOUT_SECONDS} s")
                for key, _ in ready:
                    data = os.read(key.fd, 1 << 16)
                    if not data:
                        raise _Stopped
                    chunks[key.fileobj] += data
        out, err = (chunks[s].rstrip()[: -len(ends[s])] for s in streams)
        return out.decode(errors="replace"), err.decode(errors="replace")

    def _start(self) -> None:
        if self._pid == os.getpid():
            self._stop()
        # "-@ -": arguments come from standard input, one a line; at its end ExifTool exits.
        self._process = subprocess.Popen(
            ["exiftool", "-stay_open", "True", "-@", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Set from outside (no preexec_fn in a threaded server); it holds before the first
        # command, which ExifTool reads only once this has returned.
        limit = (MEMORY_BYTES, MEMORY_BYTES)
        resource.prlimit(self._process.pid, resource.RLIMIT_AS, limit)
        self._pid = os.getpid()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


_process = _ExifTool()


def _exiftool(*args: str) -> str:
    if not available():
        raise MetadataError(
            "ExifTool is not installed on the server (Debian package libimage-exiftool-perl)"
        )
    out, err = _process.run(args)
    errors = [line for line in err.splitlines() if line and not line.startswith("Warning")]
    if errors and not out.strip():
        # "Error: Can't write RIFF files - <temporary folder>/original.webp": drop the path.
        reason = errors[0].removeprefix("Error: ").rsplit(" - ", 1)[0]
        raise MetadataError(f"ExifTool could not do it ({reason})")
    return out


_READ = ("-json", "-groupNames1", "-duplicates", "-unknown", "-extractEmbedded")


def _tags(out: str) -> dict:
    """ExifTool's JSON answer for one file."""
    try:
        (tags,) = json.loads(out)
    except ValueError as exc:
        raise MetadataError("ExifTool's answer could not be read") from exc
    return tags


def _revealing(out: str) -> Revealing:
    tags = _tags(out)
    if "ExifTool:Error" in tags:
        raise MetadataError(f"ExifTool cannot read the file ({tags['ExifTool:Error']})")
    location, serials = [], []
    for key in tags:
        group, _, name = key.rpartition(":")
        if group.split("-")[0] in _DERIVED_GROUPS or group.startswith("ICC"):
            continue
        if _SERIAL.search(name):
            serials.append(key)
        elif _LOCATION.search(name) and name not in _PLACELESS:
            location.append(key)
    return Revealing(tuple(location), tuple(serials))


def revealing(path: Path | str) -> Revealing:
    """What in ``path``'s metadata, embedded documents included, places or identifies it."""
    return _revealing(_exiftool(*_READ, str(Path(path).resolve())))


def _tiff_extras(path: Path) -> list[str]:
    """Names of the tags in a TIFF's IFD0 that are neither its structure nor its rights."""
    tags = _tags(_exiftool("-json", "-IFD0:all", "-unknown", "-short", str(path)))
    return sorted(name for name in tags if name != "SourceFile" and name not in TIFF_STRUCTURE)


def for_download(source: Path | str, fmt: str, *, keep_location: bool = False) -> bytes:
    """The ``fmt`` file ``source`` with only orientation, colour, rights (and GPS if kept) left.

    The image data is copied as is. Raises MetadataError when the copy cannot be made or, read
    back, still reveals a serial number or (unless kept) where the photo was taken.
    """
    if fmt not in SUFFIXES:
        raise MetadataError(f"metadata cannot be removed from {fmt.upper()} files")
    keep = KEEP + (KEEP_LOCATION if keep_location else ())
    with tempfile.TemporaryDirectory(prefix="filmstrip-") as folder:
        # Named by what the file is, not by its uploaded name: ExifTool goes by the suffix, and
        # would write an XMP sidecar to a ".xmp" name.
        original = Path(folder) / f"original.{SUFFIXES[fmt]}"
        original.symlink_to(Path(source).resolve())
        copy = Path(folder) / f"copy.{SUFFIXES[fmt]}"
        extras = _tiff_extras(original) if fmt == "tiff" else []
        _exiftool(
            "-all=",
            *(f"-IFD0:{name}=" for name in extras),
            "--ICC_Profile:all",  # the colour profile stays where it is
            "-tagsFromFile",
            "@",
            *(f"-{tag}" for tag in keep),
            "-out",
            str(copy),
            str(original),
        )
        if not copy.exists():
            raise MetadataError("ExifTool wrote no copy")
        if fmt == "tiff" and (extras := _tiff_extras(copy)):
            raise MetadataError(f"ExifTool left {', '.join(extras[:5])} in the copy")
        out = _exiftool(*_READ, str(copy))
        left = _revealing(out)
        if left.serials or (left.location and not keep_location):
            named = ", ".join((*left.serials, *left.location)[:5])
            raise MetadataError(f"ExifTool left {named} in the copy")
        return copy.read_bytes()
