"""`filmstrip photos prune`: what no essay and no row needs any more, after a grace period.

What stays is decided by what the database references: a photo stays while an essay's item
shows it, a stored file while a Photo (its original) or a Rendition row names it. Three kinds
go: photos no essay shows, with all their files; stored files of no photo (an original, GPS and
all, or a rendition, left by an earlier version or a crash); and renditions of a photo's earlier
pipeline (ladder, quality, rights, rotation), whose rows went when it was processed again but
whose files were kept for pages cached in front of the site. Everything is done through the
storage API, so it works alike on the local disk and on S3.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from . import removal
from .models import Photo, Rendition
from .naming import PREFIX, checksum_prefix

ORIGINALS = "originals"
DEFAULT_GRACE_DAYS = 7


@dataclass(frozen=True)
class Pruned:
    kind: str  # "photo", "original", "rendition", "old rendition"
    name: str  # a photo's file name as uploaded, or a stored file's name
    size: int  # bytes it frees (a photo: its original and its renditions)


@dataclass
class PruneResult:
    items: list[Pruned] = field(default_factory=list)
    applied: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for item in self.items if item.kind == kind)

    @property
    def size(self) -> int:
        return sum(item.size for item in self.items)


def prune(*, grace: timedelta, apply: bool = False) -> PruneResult:
    """What may go, and (``apply``) delete it. Nothing younger than ``grace`` goes: an upload
    or import may be about to place a photo, and a page cached in front of the site may still
    name the renditions a photo had until it was processed again."""
    cutoff = timezone.now() - grace
    result = PruneResult(applied=apply)
    unused = list(Photo.objects.unused().filter(created_at__lt=cutoff))
    for photo in unused:
        result.items.append(Pruned("photo", photo.original_filename, _photo_size(photo)))
    if apply:
        removal.delete_if_unused([photo.pk for photo in unused])
    # Their files, rows or not, go with them (photos.removal): not listed twice.
    doomed = {photo.checksum[:32] for photo in unused}
    for item in _unreferenced_files(cutoff, doomed):
        if apply:
            default_storage.delete(item.name)
        result.items.append(item)
    return result


def _photo_size(photo: Photo) -> int:
    renditions = sum(photo.renditions.values_list("size_bytes", flat=True))
    return renditions + (_size(photo.original.name) if photo.original.name else 0)


def _unreferenced_files(cutoff, doomed: set[str]):
    """Stored files no row names, older than ``cutoff``. A rendition of a photo that still
    exists is old once the photo was last processed before ``cutoff``; a photo being processed
    now keeps every file, as its new renditions are stored before their rows are made."""
    rows = Photo.objects.values_list("checksum", "status", "status_changed_at")
    photos = {checksum[:32]: (status, changed) for checksum, status, changed in rows}
    referenced = set(Photo.objects.values_list("original", flat=True))
    referenced |= set(Rendition.objects.values_list("name", flat=True))
    busy = {Photo.Status.PENDING, Photo.Status.PROCESSING}
    for name in _stored(ORIGINALS) + _stored(PREFIX):
        if name in referenced or default_storage.get_modified_time(name) >= cutoff:
            continue
        if name.startswith(f"{ORIGINALS}/"):
            yield Pruned("original", name, _size(name))
            continue
        prefix = checksum_prefix(name) or ""
        owner = photos.get(prefix)
        if prefix in doomed:
            continue
        if owner is None:
            yield Pruned("rendition", name, _size(name))
        elif owner[0] not in busy and owner[1] < cutoff:
            yield Pruned("old rendition", name, _size(name))


def _size(name: str) -> int:
    try:
        return default_storage.size(name)
    except (OSError, ValueError):
        return 0


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
