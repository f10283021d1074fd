"""Writing the whole site into one archive (``filmstrip export archive OUT.tar``).

Rows are read in one transaction, so the archive is one moment of the site, and spooled to
temporary files so the manifest (which comes first) can give each table's size and SHA-256.
Originals are copied from storage into the tar a block at a time: none is held in memory.
The archive is written beside ``path`` and renamed into place once complete.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

import filmstrip
from filmstrip.photos.models import Photo, original_path

from . import ArchiveError
from .layout import FORMAT, MANIFEST, TABLES, VERSION, Table
from .rows import encode

Progress = Callable[[int, int, str], None]
_BATCH = 2000


@dataclass
class ExportResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    bytes: int = 0


def export_archive(path: Path | str, progress: Progress | None = None) -> ExportResult:
    """Write the archive to ``path`` (gzip-compressed when it ends in .gz or .tgz)."""
    path = Path(path)
    compress = path.suffix in (".gz", ".tgz")
    part = path.with_name(f".{path.name}.part")
    outermost = not connection.in_atomic_block
    try:
        with tempfile.TemporaryDirectory(prefix="filmstrip-export-") as spool, transaction.atomic():
            if outermost:
                _one_moment()
            result = _write(part, Path(spool), compress, progress)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    result.path, result.bytes = path, path.stat().st_size
    return result


def _write(part: Path, spool: Path, compress: bool, progress: Progress | None) -> ExportResult:
    result = ExportResult(part)
    tables = [_spool(table, spool, result) for table in TABLES]
    originals = _originals()
    with tarfile.open(part, "w:gz" if compress else "w") as tar:
        _add_bytes(tar, MANIFEST, json.dumps(_manifest(tables, originals), indent=1).encode())
        for entry in tables:
            _add_file(tar, entry["member"], Path(entry["spooled"]))
        for done, entry in enumerate(originals, 1):
            _add_original(tar, entry)
            if progress:
                progress(done, len(originals), entry["member"].rsplit("/", 1)[-1])
    result.originals = len(originals)
    return result


def _one_moment() -> None:
    """PostgreSQL reads each query at its own moment unless asked, first thing in the
    transaction; SQLite's transaction is one moment already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _spool(table: Table, folder: Path, result: ExportResult) -> dict:
    """Write ``table``'s rows as JSON Lines into ``folder``; its manifest entry."""
    target = folder / f"{table.name}.jsonl"
    digest, count, fields = hashlib.sha256(), 0, table.fields()
    model = table.model_class()
    rows = table.rows(model._default_manager.all()).order_by("pk")
    with target.open("wb") as f:
        for row in rows.iterator(chunk_size=_BATCH):
            line = json.dumps(encode(row, fields), cls=DjangoJSONEncoder, ensure_ascii=False)
            data = line.encode() + b"\n"
            digest.update(data)
            f.write(data)
            count += 1
    result.rows[table.name] = count
    return {
        "name": table.name,
        "model": table.model,
        "rows": count,
        "member": table.member,
        "bytes": target.stat().st_size,
        "sha256": digest.hexdigest(),
        "spooled": str(target),
    }


def _originals() -> list[dict]:
    """Every photo's original: where it is stored, and its member (named by its checksum)."""
    photos = Photo.objects.order_by("pk").only("pk", "original", "checksum")
    found = []
    for photo in photos.iterator(chunk_size=_BATCH):
        stored = photo.original.name or ""
        try:
            size = default_storage.size(stored)
        except OSError as exc:
            raise ArchiveError(
                f"the original of photo {photo.pk} ({stored}) is missing from storage"
            ) from exc
        member = original_path(photo, stored)
        found.append({"member": member, "bytes": size, "sha256": photo.checksum, "from": stored})
    return found


def _manifest(tables: list[dict], originals: list[dict]) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "filmstrip": filmstrip.__version__,
        "site_url": settings.SITE_URL,
        "tables": [{k: v for k, v in t.items() if k != "spooled"} for t in tables],
        "originals": [{k: v for k, v in o.items() if k != "from"} for o in originals],
    }


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_info(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, source: Path) -> None:
    with source.open("rb") as f:
        tar.addfile(_info(name, source.stat().st_size), f)


def _add_original(tar: tarfile.TarFile, entry: dict) -> None:
    with default_storage.open(entry["from"], "rb") as f:
        tar.addfile(_info(entry["member"], entry["bytes"]), f)  # copied a block at a time


def _info(name: str, size: int) -> tarfile.TarInfo:
    """A plain file's header; owner and mode say nothing of this machine."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, int(time.time())
    return info
