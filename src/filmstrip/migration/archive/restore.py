"""Restoring an archive into an empty database (``filmstrip import archive IN.tar``).

Everything keeps its primary key, so photo addresses, anchors and links into the site stay
as they were. All rows go in one transaction and originals are written as they arrive; on any
error the transaction is rolled back and the originals written so far are deleted, so a bad
archive leaves the site as empty as it found it. Originals are checked against their photo's
checksum; renditions are made again by the processing jobs queued at the end, and the
published site is rebuilt once they are done.
"""

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from filmstrip.photos import jobs
from filmstrip.photos.models import Photo, original_path
from filmstrip.stories import publishing

from . import ArchiveError
from .layout import MANIFEST, TABLE_MEMBER, TABLES, Table
from .reader import Member, members
from .rows import decode

Progress = Callable[[int, int, str], None]


@dataclass
class RestoreResult:
    rows: dict[str, int] = field(default_factory=dict)
    originals: int = 0
    queued: int = 0  # photos waiting to be processed again


def not_empty() -> dict[str, int]:
    """Rows the database already holds, by table: a restore needs none."""
    counts = {t.name: t.model_class()._default_manager.count() for t in TABLES}
    return {name: count for name, count in counts.items() if count}


def restore_archive(path: Path | str, progress: Progress | None = None) -> RestoreResult:
    path = Path(path)
    found = not_empty()
    if found:
        held = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in found.items())
        raise ArchiveError(
            f"the database is not empty ({held}): an archive is restored only into a new, "
            "empty database (run `filmstrip migrate` on a new one), so that nothing is mixed "
            "or overwritten"
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            result = _restore(path, written, progress)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return result


def _restore(path: Path, written: list[str], progress: Progress | None) -> RestoreResult:
    result = RestoreResult()
    tables: dict[str, Table] = {}
    originals: set[str] = set()
    for manifest, member in members(path):
        if member is None:
            tables = _tables(manifest)
            originals = {entry["member"] for entry in manifest["originals"]}
        elif TABLE_MEMBER.fullmatch(member.name):
            if result.originals:
                raise ArchiveError(f"{member.name}: tables must come before the originals")
            table = tables[member.name]
            result.rows[table.name] = _load(table, member)
        else:
            _store(member, written)
            result.originals += 1
            if progress:
                progress(result.originals, len(originals), member.name.rsplit("/", 1)[-1])
    _check_originals(originals)
    _check_references()
    _reset_sequences()
    result.queued = _queue_processing()
    publishing.queue_scheduled()
    publishing.announce(None, whole_site=True)
    return result


def _tables(manifest: dict) -> dict[str, Table]:
    """The layout's tables the archive holds, by member; every one must be one we know."""
    known = {table.name: table for table in TABLES}
    tables = {}
    for entry in manifest["tables"]:
        name = entry.get("name")
        table = known.get(name) if isinstance(name, str) else None
        if table is None or table.member != entry["member"] or table.model != entry.get("model"):
            raise ArchiveError(f"{MANIFEST} lists a table this Filmstrip does not know: {entry}")
        tables[table.member] = table
    return tables


def _load(table: Table, member: Member) -> int:
    count = 0
    for number, line in member.lines():
        where = f"{member.name}, line {number}"
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise ArchiveError(f"{where}: not valid JSON ({exc})") from None
        row = decode(table, data, where)
        if isinstance(row, Photo):
            _name_original(row, where)
        try:
            type(row).save_base(row, raw=True, force_insert=True)
            if table.resave:
                row.save(update_fields=table.resave)
        except DatabaseError as exc:
            raise ArchiveError(f"{where}: the database refused the row: {exc}") from None
        count += 1
    member.check()
    return count


def _name_original(photo: Photo, where: str) -> None:
    """A photo's original is stored by its checksum, under the name the archive's member has."""
    checksum = photo.checksum
    if len(checksum) != 64 or not all(c in "0123456789abcdef" for c in checksum):
        raise ArchiveError(f"{where}: the photo's checksum is not a SHA-256")
    photo.original.name = original_path(photo, photo.original.name or "")


def _store(member: Member, written: list[str]) -> None:
    """Copy an original into storage through a temporary file, checked first (its name is
    its SHA-256: see reader)."""
    with tempfile.TemporaryFile() as spool:
        while block := member.stream.read(1 << 20):
            spool.write(block)
        member.check()
        if default_storage.exists(member.name):
            if _stored_checksum(member.name) == _checksum(member.name):
                return  # left from before, the same bytes: keep it
            default_storage.delete(member.name)  # no photo of this empty site points at it
        spool.seek(0)
        saved = default_storage.save(member.name, File(spool, name=member.name))
        written.append(saved)
        if saved != member.name:
            raise ArchiveError(f"{member.name}: storage kept it as {saved}")


def _checksum(name: str) -> str:
    return name.rsplit("/", 1)[-1].split(".", 1)[0]


def _stored_checksum(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_originals(originals: set[str]) -> None:
    """Each photo has its original in the archive, and each original is a photo's."""
    names = set(Photo.objects.values_list("original", flat=True).iterator())
    missing = next(iter(sorted(names - originals)), None)
    if missing:
        raise ArchiveError(f"the archive lacks the original {missing} of one of its photos")
    stray = next(iter(sorted(originals - names)), None)
    if stray:
        raise ArchiveError(f"{stray} is the original of no photo in the archive")


def _check_references() -> None:
    """Rows that point at rows the archive lacks fail here, by name, not at commit."""
    tables = [t.model_class()._meta.db_table for t in TABLES]
    try:
        connection.check_constraints(table_names=tables)
    except IntegrityError as exc:
        raise ArchiveError(f"rows of the archive refer to rows it lacks: {exc}") from None


def _reset_sequences() -> None:
    """PostgreSQL's next ids must follow the ids restored (SQLite's follow on their own)."""
    restored: list[type[models.Model]] = [t.model_class() for t in TABLES]
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _queue_processing() -> int:
    """Renditions are not archived: each photo is processed again (a failed one stays failed,
    with its reason)."""
    again = Photo.objects.exclude(status=Photo.Status.FAILED)
    again.update(status=Photo.Status.PENDING)
    return jobs.rebuild(again)
