"""Unpacking an archive someone handed us (tar, tar.gz/bz2/xz, zip) without trusting it.

Only regular files and folders come out, each under the destination. A member whose name is
absolute or climbs out with ``..``, a link (symbolic or hard), a device, a pipe or a sparse file
refuses the whole archive, and so does a decompression bomb: each member and the total are
bounded in bytes, the total also in its ratio to the archive's own size, and the members in
number. Bytes are counted as they are written, so a header that lies about a size gains nothing.
No Django here, so any importer handed an archive from outside may use it (the WordPress media
library does).
"""

import contextlib
import lzma
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

CHUNK = 1024 * 1024
MiB = 1024 * 1024
REFUSED = "the archive is refused"
# What reading a damaged archive raises, from the headers or from a member's content.
DAMAGED = (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError)


class ArchiveError(Exception):
    """The archive cannot be read or is refused; the message says which member and why."""


@dataclass(frozen=True)
class Limits:
    max_members: int = 200_000
    max_member_bytes: int = 200 * MiB
    max_total_bytes: int = 64 * 1024 * MiB
    # Photos hardly compress and a bomb expands a thousandfold; below the floor no ratio counts.
    max_ratio: int = 100
    ratio_floor_bytes: int = 16 * MiB

    def total_allowed(self, archive_bytes: int) -> int:
        by_ratio = max(self.ratio_floor_bytes, self.max_ratio * archive_bytes)
        return min(self.max_total_bytes, by_ratio)


# (where inside the destination, open file) for each regular file of an archive.
Member = tuple[PurePosixPath, IO[bytes]]


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a file :func:`extract` reads (judged by content, not by name)."""
    path = Path(path)
    return path.is_file() and (tarfile.is_tarfile(path) or zipfile.is_zipfile(path))


def extract(archive: Path, destination: Path, limits: Limits = Limits()) -> list[PurePosixPath]:
    """Unpack ``archive`` into ``destination``, a folder that is new or empty; the files written.

    Raise ArchiveError when it is refused or damaged; ``destination`` is then left empty.
    """
    archive, destination = Path(archive), Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise ValueError(f"{destination} is not empty")
    budget = _Budget(limits, archive.stat().st_size)
    written = []
    try:
        with contextlib.closing(_members(archive, limits)) as members:
            for relative, source in members:
                _write(destination, relative, source, budget)
                written.append(relative)
    except ArchiveError:
        _empty(destination)
        raise
    except DAMAGED as exc:
        _empty(destination)
        raise ArchiveError(f"{archive.name} could not be unpacked: {exc}") from exc
    return written


def safe_relative(name: str) -> PurePosixPath:
    """A member's name as a path inside the destination, or ArchiveError if it would leave it."""
    if "\x00" in name:
        raise ArchiveError(f"{name!r} has a NUL in its name; {REFUSED}")
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"{name!r} is an absolute path; {REFUSED}")
    if ".." in path.parts:
        raise ArchiveError(f"{name!r} climbs out of the archive with '..'; {REFUSED}")
    parts = [part for part in path.parts if part not in ("", ".")]
    if not parts:
        raise ArchiveError(f"{name!r} names no file; {REFUSED}")
    return PurePosixPath(*parts)


def _members(archive: Path, limits: Limits) -> Generator[Member, None, None]:
    # Tar first: a tar whose last member is a zip can pass for a zip, never the other way.
    if tarfile.is_tarfile(archive):
        return _tar_members(archive, limits)
    if zipfile.is_zipfile(archive):
        return _zip_members(archive, limits)
    raise ArchiveError(f"{archive.name} is not a tar or zip archive")


def _tar_members(archive: Path, limits: Limits) -> Generator[Member, None, None]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            for count, member in enumerate(tar, start=1):
                _check_count(count, limits)
                relative = safe_relative(member.name)
                kind = _tar_refusal(member)
                if kind:
                    raise ArchiveError(f"{member.name!r} is {kind}; {REFUSED}")
                if member.isdir():
                    continue
                _check_declared(member.name, member.size, limits)
                source = tar.extractfile(member)
                assert source is not None  # a regular file has content
                with source:
                    yield relative, source
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise ArchiveError(f"{archive.name} is damaged: {exc}") from exc


def _tar_refusal(member: tarfile.TarInfo) -> str | None:
    if member.issym():
        return f"a symbolic link (to {member.linkname!r})"
    if member.islnk():
        return f"a hard link (to {member.linkname!r})"
    if member.ischr() or member.isblk():
        return "a device"
    if member.isfifo():
        return "a pipe"
    if member.issparse():
        return "a sparse file"
    if not (member.isreg() or member.isdir()):
        return "not a plain file"
    return None


def _zip_members(archive: Path, limits: Limits) -> Generator[Member, None, None]:
    try:
        with zipfile.ZipFile(archive) as zf:
            for count, info in enumerate(zf.infolist(), start=1):
                _check_count(count, limits)
                relative = safe_relative(info.filename)
                kind = stat.S_IFMT(info.external_attr >> 16)  # 0 unless made on Unix
                if kind == stat.S_IFLNK:
                    raise ArchiveError(f"{info.filename!r} is a symbolic link; {REFUSED}")
                if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise ArchiveError(f"{info.filename!r} is not a plain file; {REFUSED}")
                if info.is_dir():
                    continue
                _check_declared(info.filename, info.file_size, limits)
                packed = max(info.compress_size, 1)
                if info.file_size > limits.ratio_floor_bytes and (
                    info.file_size / packed > limits.max_ratio
                ):
                    raise ArchiveError(_bomb(info.filename))
                with zf.open(info) as source:
                    yield relative, source
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ArchiveError(f"{archive.name} is damaged: {exc}") from exc
    except RuntimeError as exc:  # an encrypted member
        raise ArchiveError(f"{archive.name} cannot be read: {exc}") from exc


def _check_count(count: int, limits: Limits) -> None:
    if count > limits.max_members:
        raise ArchiveError(f"More than {limits.max_members} members; {REFUSED}")


def _check_declared(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_member_bytes:
        raise ArchiveError(f"{name!r} is larger than {limits.max_member_bytes} bytes; {REFUSED}")


def _bomb(name: str) -> str:
    return f"{name!r} expands far beyond its packed size (a decompression bomb); {REFUSED}"


class _Budget:
    """Bytes written so far, against the per-member and total bounds."""

    def __init__(self, limits: Limits, archive_bytes: int):
        self.limits = limits
        self.total_allowed = limits.total_allowed(archive_bytes)
        self.total = 0

    def spend(self, name: PurePosixPath, member_bytes: int, more: int) -> None:
        self.total += more
        if member_bytes > self.limits.max_member_bytes:
            raise ArchiveError(
                f"'{name}' is larger than {self.limits.max_member_bytes} bytes; {REFUSED}"
            )
        if self.total > self.total_allowed:
            if self.total_allowed < self.limits.max_total_bytes:
                raise ArchiveError(_bomb(str(name)))
            raise ArchiveError(f"More than {self.limits.max_total_bytes} bytes in all; {REFUSED}")


def _write(destination: Path, relative: PurePosixPath, source: IO[bytes], budget: _Budget) -> None:
    target = destination.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            budget.spend(relative, written, len(chunk))
            out.write(chunk)


def _empty(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
