"""Receiving a photo in chunks, then handing it to the pipeline like any other photo.

A chunk must start where the last one ended; a client that lost track (a dropped connection,
a retried request) asks where to go on from and resumes there.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from filmstrip.columns import width
from filmstrip.conf import filmstrip_settings
from filmstrip.imaging import ImageError
from filmstrip.photos.intake import add_photo
from filmstrip.stories import publishing
from filmstrip.stories.assembly import place_photo
from filmstrip.stories.models import StoryItem

from .models import Dropped, Upload, UploadedName

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


ABANDONED_AFTER = timedelta(days=1)
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
    stale = list(Upload.objects.filter(created_at__lt=cutoff))
    for upload in stale:
        upload.part_path.unlink(missing_ok=True)
    Upload.objects.filter(pk__in=[u.pk for u in stale]).delete()
    return len(stale)


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
    upload = Upload.objects.create(
        story=story, filename=name, size=size, created_by=user, before=before
    )
    upload.part_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    upload.part_path.touch(mode=0o600)  # an original on its way in: its owner's alone
    return upload


def _chunk_start(content_range: str, upload: Upload, data: bytes) -> int:
    """Where a chunk starts, from its ``Content-Range: bytes a-b/size`` header."""
    match = _RANGE.fullmatch(content_range)
    if not match or int(match[3]) != upload.size:
        raise UploadError("A chunk needs Content-Range: bytes a-b/size.")
    if int(match[2]) - int(match[1]) + 1 != len(data):
        raise UploadError("The chunk's length does not match its range.")
    return int(match[1])


def receive(upload: Upload, content_range: str, data: bytes) -> Upload:
    """Write a chunk where its Content-Range says, which must be where the upload stands."""
    offset = _chunk_start(content_range, upload, data)
    if offset != upload.received:
        raise WrongOffset(upload.received)
    if offset + len(data) > upload.size:
        raise UploadError("More bytes than the file was announced to have.")
    with upload.part_path.open("r+b") as part:
        part.seek(offset)
        part.write(data)
    # Only one of two racing copies of the same chunk may count.
    moved = Upload.objects.filter(pk=upload.pk, received=offset).update(received=offset + len(data))
    upload.refresh_from_db()
    if not moved:
        raise WrongOffset(upload.received)
    return upload


def finish(upload: Upload) -> Outcome:
    """A complete upload becomes a photo of its essay (or a clear reason why not)."""
    story = upload.story
    try:
        photo, _ = add_photo(upload.part_path, original_filename=upload.filename)
    except (ImageError, OSError) as exc:
        return Outcome(error=str(exc))
    finally:
        with transaction.atomic():
            upload.part_path.unlink(missing_ok=True)
            Upload.objects.filter(pk=upload.pk).delete()
    with transaction.atomic():
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
