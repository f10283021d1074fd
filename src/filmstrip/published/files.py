"""Writing published files so that a reader never gets half of one.

Each document is written beside its gzip and Brotli versions: every file goes to a temporary
name in its own folder, is flushed to disk, and is renamed over the old one, the compressed
siblings first and the plain file last. A reader who opened the old file keeps reading it whole;
a failure at any point (a full disk, a crash) leaves the old file in place.
"""

import contextlib
import os
import shutil
import tempfile
import zlib

import brotli

from . import layout

# Every document gets both siblings, however small, so a front server's gzip_static and
# brotli_static always find one; written once per change, so the slowest, smallest settings.
GZIP_LEVEL = 9


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9, with no file name and a zero timestamp: the same input, the same bytes."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, quality=11, mode=brotli.MODE_TEXT)


def write_atomic(path: str, data: bytes, mtime: float | int | None = None) -> None:
    """Replace ``path`` by ``data`` in one rename; the old file stays if anything fails.
    ``mtime``: seconds (a float) or nanoseconds (an int)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # readable by a front server running as another user
        if mtime is not None:
            _set_mtime(temporary, mtime)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_document(path: str, data: bytes, mtime: float | int) -> bool:
    """Write a document and its .gz and .br siblings (same mtime); False when it was already
    there byte for byte, so its ETag and Last-Modified stay and readers' caches stay valid.
    An int ``mtime`` (nanoseconds, shared by every machine: versions.py) is given to a document
    already there too, so that its ETag is theirs."""
    if _same(path, data):
        if isinstance(mtime, int):
            for name in (path, *(f"{path}{suffix}" for suffix in layout.COMPRESSED)):
                if os.stat(name).st_mtime_ns != mtime:
                    _set_mtime(name, mtime)
        return False
    write_atomic(f"{path}.gz", gzip_bytes(data), mtime)
    write_atomic(f"{path}.br", brotli_bytes(data), mtime)
    write_atomic(path, data, mtime)
    return True


def _set_mtime(path: str, mtime: float | int) -> None:
    if isinstance(mtime, int):
        os.utime(path, ns=(mtime, mtime))
    else:
        os.utime(path, (mtime, mtime))


def _same(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            same = handle.read() == data
    except OSError:
        return False
    return same and all(os.path.exists(f"{path}{suffix}") for suffix in layout.COMPRESSED)


def remove_document(path: str) -> bool:
    """Remove a document, plain file first so nobody is sent a sibling without it."""
    removed = False
    for name in (path, *(f"{path}{suffix}" for suffix in layout.COMPRESSED)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
            removed = True
    return removed


def remove_tree(path: str) -> bool:
    if not os.path.isdir(path):
        return False
    shutil.rmtree(path)
    return True


def place_copy(source: str, target: str, *, link: bool = True) -> None:
    """Put ``source`` at ``target`` as a hard link (no second copy on disk) when ``link``,
    else (or when linking fails) as a copy; atomically either way."""
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".tmp-{os.getpid()}-{os.path.basename(target)}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        try:
            if not link:
                raise OSError("a copy was asked for")
            os.link(source, temporary)
        except OSError:  # another file system, or links not allowed: a copy
            shutil.copyfile(source, temporary)
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
