"""Taking a photo down: once no essay shows it, its row goes, and then its files.

A photo removed from its last essay (in the studio, the admin, a bulk delete, or with its essay)
is deleted; deleting a photo deletes its original and every rendition ever made of it, through
the storage API and only after the database commit, so a rolled-back delete loses no file.
A file some row still names (the same photo in another essay, or a copy of it uploaded again
meanwhile) is kept.
"""

import logging
import posixpath
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from .models import Photo, Rendition
from .naming import PREFIX, checksum_prefix

logger = logging.getLogger(__name__)


def delete_if_unused(photo_ids) -> int:
    """Delete those of ``photo_ids`` that no essay shows; returns how many were deleted."""
    deleted = 0
    for photo in Photo.objects.filter(pk__in=set(photo_ids)).unused():
        try:
            with transaction.atomic():
                photo.delete()
        except ProtectedError:
            continue  # placed in an essay again a moment ago: it stays
        deleted += 1
    return deleted


def photo_released(sender, instance, **kwargs) -> None:
    """post_delete receiver for rows that keep a photo (an essay's item): when the last one
    goes, so does the photo. Decided after the commit, so that a change which removes an item
    and puts it back in one transaction (restoring a revision) deletes nothing."""
    photo_id = getattr(instance, "photo_id", None)
    if photo_id is not None:
        transaction.on_commit(lambda: delete_if_unused([photo_id]), robust=True)


def photo_deleted(sender, instance: Photo, **kwargs) -> None:
    """post_delete receiver for Photo: its files go once the delete is committed."""
    checksum, original = instance.checksum, instance.original.name
    transaction.on_commit(lambda: delete_files(checksum, original), robust=True)


def rendition_names(checksum: str) -> list[str]:
    """Every stored rendition of the original with ``checksum``, rows or not (a rendition made
    for an earlier ladder, quality or rights keeps its file but loses its row)."""
    folder = f"{PREFIX}/{checksum[:2]}"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    stem = f"{checksum[:32]}-"
    return [posixpath.join(folder, name) for name in files if name.startswith(stem)]


def delete_files(checksum: str, original: str | None) -> list[str]:
    """Delete the files of the photo with ``checksum`` that no row names; returns their names."""
    names = [original] if original else []
    if not Photo.objects.filter(checksum=checksum).exists():
        # Otherwise the same file was stored again since: its renditions are being made anew.
        names += rendition_names(checksum)
    kept = set(Rendition.objects.filter(name__in=names).values_list("name", flat=True))
    kept |= set(Photo.objects.filter(original__in=names).values_list("original", flat=True))
    deleted = []
    for name in names:
        if name in kept:
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s of a deleted photo", name)
            continue
        deleted.append(name)
    logger.info("Deleted %d file(s) of photo %s", len(deleted), checksum[:12])
    return deleted


@dataclass
class PruneResult:
    photos: list[str] = field(default_factory=list)  # original file names of photos deleted
    files: list[str] = field(default_factory=list)  # stored names of files deleted


def prune(*, grace: timedelta = timedelta(hours=1), dry_run: bool = False) -> PruneResult:
    """Take down what a version without take-down left behind: photos no essay shows, and
    stored files (originals, renditions) of no photo. Anything younger than ``grace`` stays, as
    an import or upload may be about to place or record it."""
    cutoff = timezone.now() - grace
    result = PruneResult()
    unused = Photo.objects.unused().filter(created_at__lt=cutoff)
    result.photos = list(unused.values_list("original_filename", flat=True))
    if not dry_run:
        delete_if_unused(unused.values_list("pk", flat=True))
    photos = list(Photo.objects.values_list("checksum", "original"))
    originals = {original for _, original in photos}
    prefixes = {checksum[:32] for checksum, _ in photos}
    for name in _stored("originals") + _stored(PREFIX):
        if name in originals or checksum_prefix(name) in prefixes:
            continue
        if default_storage.get_modified_time(name) >= cutoff:
            continue
        if not dry_run:
            default_storage.delete(name)
        result.files.append(name)
    return result


def _stored(folder: str) -> list[str]:
    """Every file under ``folder`` of the storage (two levels: folder/xx/name)."""
    try:
        subfolders, _ = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = []
    for sub in subfolders:
        _, files = default_storage.listdir(f"{folder}/{sub}")
        names += [f"{folder}/{sub}/{name}" for name in files]
    return names
