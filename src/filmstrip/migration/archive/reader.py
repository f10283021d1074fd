"""Reading an archive safely: one pass, each member checked before a byte of it is read.

The manifest comes first and names every other member with its size and SHA-256; a member it
does not name, of another size, of another kind than a plain file (links, devices, folders),
or named twice is refused, and so is a name that is not one the layout makes (``../``, an
absolute path). Nothing can be bigger than the manifest says, so a compressed archive cannot
unpack into more than that (a decompression bomb stops at its first member's header).
"""

import hashlib
import io
import json
import lzma
import re
import tarfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .. import unpacking
from ..unpacking import safe_relative
from . import ArchiveError
from .layout import FORMAT, MANIFEST, ORIGINAL_MEMBER, TABLE_MEMBER, VERSION

MAX_MANIFEST_BYTES = 64 << 20
MAX_LINE_BYTES = 64 << 20  # one row: a revision holds a whole essay


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    stream: IO[bytes]  # read it before asking for the next member
    check: Callable[[], None]  # reads what is left; ArchiveError unless its SHA-256 is right

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Its lines (JSON Lines), numbered from 1, each bounded in length."""
        number = 0
        while line := self.stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES:
                raise ArchiveError(f"{self.name}, line {number}: longer than any row may be")
            yield number, line


def members(path: Path) -> Iterator[tuple[dict, Member | None]]:
    """Yield (manifest, None) first, then (manifest, member) for each member, in order; each
    member's bytes are checked against the manifest when the next is asked for."""
    try:
        with tarfile.open(path, mode="r|*") as tar:
            yield from _members(tar, path)
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
        # Not a tar, truncated, or its compression is corrupt.
        raise ArchiveError(f"{path.name} cannot be read as a tar archive: {exc}") from exc


def _members(tar: tarfile.TarFile, path: Path) -> Iterator[tuple[dict, Member | None]]:
    first = tar.next()
    if first is None or first.name != MANIFEST:
        raise ArchiveError(f"{path} is not a Filmstrip archive: it does not begin with {MANIFEST}")
    _check_kind(first)
    if first.size > MAX_MANIFEST_BYTES:
        raise ArchiveError(f"{MANIFEST} is {first.size:,} bytes, more than any archive needs")
    manifest = _manifest(_read(tar, first))
    expected = {entry["member"]: entry for entry in _listed(manifest)}
    yield manifest, None
    seen: set[str] = set()
    while (info := tar.next()) is not None:
        _check_kind(info)
        entry = expected.get(info.name)
        if entry is None:
            _check_name(info.name)
            raise ArchiveError(f"{info.name!r}: not a member this archive's manifest lists")
        if info.name in seen:
            raise ArchiveError(f"{info.name}: appears twice")
        seen.add(info.name)
        if info.size != entry["bytes"]:
            raise ArchiveError(
                f"{info.name}: {info.size:,} bytes where the manifest says {entry['bytes']:,}"
            )
        raw = _Checked(tar.extractfile(info), info.name, entry["sha256"])
        yield manifest, Member(info.name, info.size, io.BufferedReader(raw, 1 << 20), raw.finish)
        raw.finish()
    missing = sorted(set(expected) - seen)
    if missing:
        raise ArchiveError(f"the archive ends without {len(missing)} member(s), e.g. {missing[0]}")


def _check_name(name: str) -> None:
    """A name no archive may hold (absolute, climbing out with ..) is refused as such."""
    try:
        safe_relative(name)
    except unpacking.ArchiveError as exc:
        raise ArchiveError(str(exc)) from None


def _check_kind(info: tarfile.TarInfo) -> None:
    if not info.isreg() or info.issparse():
        kind = "a link" if info.issym() or info.islnk() else "not a plain file"
        raise ArchiveError(f"{info.name!r} is {kind}: an archive holds plain files only")


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(info)
    assert stream is not None  # a regular file
    return stream.read()


def _manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"{MANIFEST} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{MANIFEST} does not describe a Filmstrip archive")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArchiveError(f"{MANIFEST} names no layout version")
    if version > VERSION:
        raise ArchiveError(
            f"this archive has layout version {version}, made by a newer Filmstrip; this one "
            f"reads versions up to {VERSION}: upgrade Filmstrip to restore it"
        )
    return manifest


def _listed(manifest: dict) -> list[dict]:
    """Every member the manifest names, each checked for a name the layout makes; an original
    is named by its SHA-256."""
    tables, originals = manifest.get("tables"), manifest.get("originals")
    if not isinstance(tables, list) or not isinstance(originals, list):
        raise ArchiveError(f"{MANIFEST} lists no tables or no originals")
    for pattern, entry in [
        *((TABLE_MEMBER, entry) for entry in tables),
        *((ORIGINAL_MEMBER, entry) for entry in originals),
    ]:
        if not _well_formed(pattern, entry):
            raise ArchiveError(f"{MANIFEST} lists a member it may not: {str(entry)[:200]}")
    return [*tables, *originals]


def _well_formed(pattern: re.Pattern, entry: object) -> bool:
    if not (isinstance(entry, dict) and isinstance(entry.get("member"), str)):
        return False
    name = pattern.fullmatch(entry["member"])
    size, sha256 = entry.get("bytes"), entry.get("sha256")
    return bool(
        name
        and isinstance(size, int)
        and size >= 0
        and isinstance(sha256, str)
        and (pattern is TABLE_MEMBER or name[2] == sha256)
    )


class _Checked(io.RawIOBase):
    """A member's bytes, hashed as they are read; ``finish`` reads what is left and checks."""

    def __init__(self, stream, name: str, sha256: str):
        self._stream, self.name, self._sha256 = stream, name, sha256
        self._digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        self._digest.update(data)
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> None:
        while self.read(1 << 20):
            pass
        if self._digest.hexdigest() != self._sha256:
            raise ArchiveError(f"{self.name} is damaged: its SHA-256 is not the manifest's")
