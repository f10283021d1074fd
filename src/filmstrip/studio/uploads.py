"""Receiving a photo in chunks, then handing it to the pipeline like any other photo.

A chunk must start where the last one ended; a client that lost track (a dropped connection,
a retried request) asks where to go on from and resumes there. The chunks wait in the database,
so the next one may reach any web machine; the finished file is streamed from there to a
temporary file (the pipeline reads a file) and on into the originals' storage.
"""

import contextlib
import logging
import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from filmstrip.columns import width
from filmstrip.conf import filmstrip_settings
from filmstrip.imaging import ImageError
from filmstrip.photos.intake import add_photo
from filmstrip.stories import publishing
from filmstrip.stories.assembly import place_photo
from filmstrip.stories.models import StoryItem

from .models import Chunk, Dropped, Upload, UploadedName

logger = logging.getLogger(__name__)


class UploadError(Exception):
    """Refused; the message says why, for the author."""


class WrongOffset(UploadError):
    def __init__(self, expected: int):
        super().__init__(f"This upload goes on from byte {expected}.")
        self.expected = expected


@dataclass
class Outcome:
    item: StoryItem | None = None
    duplicate: bool = False
    error: str = ""
    # The upload is kept: finishing it again (any chunk sent again) may work, e.g. once the
    # object storage is back.
    retry: bool = False


ABANDONED_AFTER = timedelta(days=1)
# Smallest chunk but the last: bounds the rows one file makes (the editor sends 1 MB chunks).
MIN_CHUNK = 32 * 1024
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def _short(filename: str, limit: int) -> str:
    """At most ``limit`` characters, keeping the extension that says what the file is."""
    if len(filename) <= limit:
        return filename or "photo"
    stem, dot, suffix = filename.rpartition(".")
    if not dot or len(suffix) > 10:
        return filename[:limit]
    return f"{stem[: limit - len(suffix) - 1]}.{suffix}"


def _dropped_before(upload: Upload) -> list[int] | None:
    """Where a file dropped before an item goes: before that item, and before the files
    dropped there with it that were started after it but arrived first. None: not dropped."""
    if upload.before is None:
        return None
    later = Dropped.objects.filter(
        item__story=upload.story_id, before=upload.before, started_at__gt=upload.created_at
    )
    return [upload.before, *later.values_list("item_id", flat=True)]


def sweep(now=None) -> int:
    """Forget uploads nobody finished within a day, and their bytes; and where the files
    dropped that long ago went."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    Dropped.objects.filter(started_at__lt=cutoff).delete()
    _, deleted = Upload.objects.filter(created_at__lt=cutoff).delete()
    _forget_part_files(cutoff)
    return deleted.get(Upload._meta.label, 0)


def _forget_part_files(cutoff) -> None:
    """Part files of uploads from before the chunks moved to the database, on a machine the
    migration did not run on (migration 0004 took in its own machine's)."""
    folder = Path(settings.DATA_DIR) / "uploads"
    if not folder.is_dir():
        return
    for part in folder.glob("*.part"):
        with contextlib.suppress(FileNotFoundError):  # another process's sweep was quicker
            if part.stat().st_mtime < cutoff.timestamp():
                part.unlink()


def start(story, *, filename: str, size: int, checksum: str = "", user=None, before=None):
    """An Upload to send chunks to, or None when the essay already has this exact photo.
    ``before``: the item the file was dropped before (see ``finish``)."""
    sweep()
    if size <= 0:
        raise UploadError("The file is empty.")
    if size > filmstrip_settings.MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is {size / 2**20:.0f} MB, more than the limit of "
            f"{filmstrip_settings.MAX_UPLOAD_BYTES / 2**20:.0f} MB."
        )
    if checksum and story.items.filter(photo__checksum=checksum.lower()).exists():
        return None
    name = _short(filename.replace("\x00", ""), width(Upload, "filename"))
    return Upload.objects.create(
        story=story, filename=name, size=size, created_by=user, before=before
    )


def _chunk_start(content_range: str, upload: Upload, data: bytes) -> int:
    """Where a chunk starts, from its ``Content-Range: bytes a-b/size`` header. An empty chunk
    at the end (``bytes size-(size-1)/size``) finishes an upload whose finishing failed."""
    match = _RANGE.fullmatch(content_range)
    if not match or int(match[3]) != upload.size:
        raise UploadError("A chunk needs Content-Range: bytes a-b/size.")
    if int(match[2]) - int(match[1]) + 1 != len(data):
        raise UploadError("The chunk's length does not match its range.")
    offset = int(match[1])
    if len(data) < MIN_CHUNK and offset + len(data) < upload.size:
        raise UploadError(f"A chunk must have at least {MIN_CHUNK} bytes, unless it is the last.")
    return offset


def receive(upload: Upload, content_range: str, data: bytes) -> Upload:
    """Keep a chunk where its Content-Range says, which must be where the upload stands."""
    offset = _chunk_start(content_range, upload, data)
    if offset != upload.received:
        raise WrongOffset(upload.received)
    if offset + len(data) > upload.size:
        raise UploadError("More bytes than the file was announced to have.")
    with transaction.atomic():
        # Only one of two racing copies of the same chunk may count (the other waits for this
        # row, then finds the offset moved), and it counts with its bytes or not at all.
        moved = Upload.objects.filter(pk=upload.pk, received=offset).update(
            received=offset + len(data)
        )
        if moved and data:
            Chunk.objects.create(upload=upload, offset=offset, data=data)
    upload.refresh_from_db()
    if not moved:
        raise WrongOffset(upload.received)
    return upload


def _assemble(upload: Upload, target) -> None:
    """The upload's chunks, in order, into ``target``: one chunk in memory at a time."""
    written = 0
    chunks = upload.chunks.order_by("offset").values_list("offset", "data")
    for offset, data in chunks.iterator(chunk_size=4):
        if offset != written:
            break
        target.write(data)
        written += len(data)
    if written != upload.size:
        raise UploadError("The upload lost some of its bytes: please add the file again.")
    target.flush()


def finish(upload: Upload) -> Outcome:
    """A complete upload becomes a photo of its essay (or a clear reason why not). When the
    originals' storage fails (an OSError: unreachable, full) the upload and its bytes are kept
    for another try; a file that is not a photo is forgotten."""
    story = upload.story
    with tempfile.NamedTemporaryFile(prefix="filmstrip-upload-") as part:  # mode 0600
        try:
            _assemble(upload, part)
            photo, _ = add_photo(Path(part.name), original_filename=upload.filename)
        except (ImageError, UploadError) as exc:
            if not Upload.objects.filter(pk=upload.pk).delete()[0]:
                return Outcome(duplicate=True)  # finished meanwhile, by a request racing this one
            return Outcome(error=str(exc))
        except OSError as exc:
            logger.warning("Upload %s kept, not finished: %s", upload.pk, exc)
            return Outcome(
                error=f"The photo could not be stored yet ({exc}); its upload is kept.", retry=True
            )
    with transaction.atomic():
        # Whoever forgets the upload places its photo: a finish racing on another machine
        # ends as a duplicate of this one.
        if not Upload.objects.filter(pk=upload.pk).delete()[0]:
            return Outcome(duplicate=True)
        item = place_photo(story, photo, _dropped_before(upload))
        if item is not None and upload.before is not None:
            Dropped.objects.create(item=item, before=upload.before, started_at=upload.created_at)
    if item is None:
        return Outcome(duplicate=True)
    if photo.original_filename != upload.filename:
        # Stored before, by another essay: this one keeps its own name for the file.
        UploadedName.objects.create(item=item, filename=upload.filename)
    publishing.changed(story, user=upload.created_by)
    logger.info("Upload %s added to %s as item %s", upload.filename, story, item.pk)
    return Outcome(item=item)
