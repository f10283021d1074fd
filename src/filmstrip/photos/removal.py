"""Taking a photo down: once no essay shows it, its row goes, and then its files.

A photo removed from its last essay (in the studio, the admin, a bulk delete, or with its essay)
is deleted; deleting a photo deletes its original and every rendition ever made of it, through
the storage API and only after the database commit, so a rolled-back delete loses no file.
A file some row still names (the same photo in another essay, or a copy of it uploaded again
meanwhile) is kept.
"""

import logging
import posixpath

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError

from .models import Photo, Rendition
from .naming import PREFIX

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
