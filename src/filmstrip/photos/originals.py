"""Originals as readers may download them: only orientation, colour and rights left in them.

What an original reveals (where it was taken, its camera's serial numbers) is read once, when
the photo is stored, or the first time it is asked for. An original whose copy cannot be made
clean is not offered at all, and the photo says why (``withheld_reason``) for the studio to show.
"""

import logging
import threading
from pathlib import Path, PurePath

from filmstrip.imaging.metadata import MetadataError, available, for_download, revealing

from .models import Photo

logger = logging.getLogger(__name__)

# Copies are made one at a time by the process's ExifTool (tens of milliseconds each, more for
# big files): readers asking for originals over and over wait at most a moment, never holding
# every thread of the server.
CONCURRENT_COPIES = 2
WAIT_SECONDS = 2
_copies = threading.BoundedSemaphore(CONCURRENT_COPIES)


class OriginalWithheld(Exception):
    """The original cannot be offered; the message says why, for its author."""


class Busy(Exception):
    """Too many copies are being made right now; the reader may try again shortly."""


def _stored_path(photo: Photo):
    from .processing import local_path  # processing imports the sandbox: only when needed

    return local_path(photo.original.name or "")  # a stored photo always has one


def check(photo: Photo, path: Path | None = None) -> None:
    """Record what ``photo``'s original reveals and whether a clean copy of it can be made."""
    if path is None:
        with _stored_path(photo) as stored:
            return check(photo, stored)
    try:
        found = revealing(path)
        photo.records_location = bool(found.location)
        photo.has_serial_numbers = bool(found.serials)
        for_download(path, photo.format)
        photo.withheld_reason = ""
    except (MetadataError, OSError) as exc:
        photo.withheld_reason = str(exc)
        # Checked at intake before the photo has a number: name it by its file then.
        name = photo.pk or repr(photo.original_filename)
        logger.warning("Original of photo %s withheld: %s", name, exc)
    # Without ExifTool nothing could be read: ask again once it is installed.
    photo.metadata_checked = available()
    if photo.pk:
        photo.save(
            update_fields=[
                "records_location",
                "has_serial_numbers",
                "withheld_reason",
                "metadata_checked",
            ]
        )


def ensure_checked(photo: Photo) -> None:
    """Check a photo stored before originals were checked (once; the result is kept)."""
    if not photo.metadata_checked:
        check(photo)


def downloadable(photo: Photo) -> bool:
    """Whether a clean copy of ``photo``'s original can be handed to readers.

    A photo stored before originals were checked is checked now, on a reader's page, unless
    copies are being made already: then it is not offered this time.
    """
    if not photo.metadata_checked:
        if not _copies.acquire(blocking=False):
            return False
        try:
            check(photo)
        finally:
            _copies.release()
    return not photo.withheld_reason


def public_original(photo: Photo, *, keep_location: bool) -> tuple[bytes, str]:
    """The bytes to hand a reader, and a file name for them.

    Raises OriginalWithheld when no clean copy can be made, Busy when too many are being
    made at once.
    """
    if not _copies.acquire(timeout=WAIT_SECONDS):
        raise Busy("too many originals are being prepared; try again in a minute")
    try:
        with _stored_path(photo) as path:
            data = for_download(path, photo.format, keep_location=keep_location)
    except (MetadataError, OSError) as exc:
        # The check when it was stored made this same copy; a failure now may be passing
        # (a timeout under load), so it is not recorded: this reader just gets nothing.
        logger.warning("Original of photo %s not handed out: %s", photo.pk, exc)
        raise OriginalWithheld(str(exc)) from exc
    finally:
        _copies.release()
    suffix = PurePath(photo.original.name or "").suffix
    stem = PurePath(photo.original_filename).stem or "photo"
    return data, f"{stem}{suffix}"
