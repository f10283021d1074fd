"""Turning a stored original into published renditions: the body of the processing job."""

import logging
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from filmstrip import layout
from filmstrip.conf import filmstrip_settings
from filmstrip.imaging import ImageError, RenditionSpec, ladder
from filmstrip.imaging.errors import OutOfMemory
from filmstrip.imaging.sandbox import Limits, Sandbox

from . import jobs, removal
from .models import Photo, Rendition
from .naming import rendition_name
from .signals import photo_ready

logger = logging.getLogger(__name__)


def limits() -> Limits:
    return Limits(
        seconds=filmstrip_settings.PROCESSING_TIMEOUT_SECONDS,
        memory_mb=filmstrip_settings.PROCESSING_MEMORY_MB,
    )


_sandbox: Sandbox | None = None


def sandbox() -> Sandbox:
    """This process's rendering child, made again if the limits changed."""
    global _sandbox
    if _sandbox is None or _sandbox.limits != limits():
        if _sandbox is not None:
            _sandbox.close()
        _sandbox = Sandbox(limits())
    return _sandbox


def specs_for(photo: Photo) -> list[RenditionSpec]:
    quality = filmstrip_settings.QUALITY
    return [
        RenditionSpec(width, fmt, quality[fmt])
        for width in ladder(photo.width, filmstrip_settings.RENDITION_WIDTHS)
        for fmt in filmstrip_settings.RENDITION_FORMATS
    ]


@contextmanager
def local_path(name: str):
    """A filesystem path for a stored file: the file itself on local disk, else a temporary copy."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    with default_storage.open(name, "rb") as src, tempfile.NamedTemporaryFile() as tmp:
        shutil.copyfileobj(src, tmp)
        tmp.flush()
        yield Path(tmp.name)


def _claim(photo_id: int) -> bool:
    """Move a pending photo to processing; False if another worker has it or it is done."""
    return bool(
        Photo.objects.filter(pk=photo_id, status=Photo.Status.PENDING).update(
            status=Photo.Status.PROCESSING,
            status_changed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def mark_failed(photo: Photo, reason: str) -> None:
    photo.status = Photo.Status.FAILED
    photo.failure_reason = reason
    photo.status_changed_at = timezone.now()
    # An update, not save(): a photo deleted while it was rendered stays deleted, without an error.
    Photo.objects.filter(pk=photo.pk).update(
        status=photo.status, failure_reason=reason, status_changed_at=photo.status_changed_at
    )


def _store(photo: Photo, images, rights) -> list[Rendition]:
    known = set(photo.renditions.values_list("name", flat=True))
    created = []
    for image in images:
        name = rendition_name(photo.checksum, image.spec, rights, photo.rotation)
        if name in known:
            continue
        if default_storage.exists(name):
            # Left by a job that died mid-write: no row points at it, so nobody has seen it.
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(image.data))
        created.append(
            Rendition(
                photo=photo,
                format=image.spec.format,
                width=image.width,
                height=image.height,
                name=stored,
                size_bytes=len(image.data),
            )
        )
    return created


def process_photo(photo_id: int) -> str:
    """Make the renditions of one pending photo; returns the photo's resulting status.

    Bad images end as ``failed`` with the reason; the original is always kept.
    """
    if not _claim(photo_id):
        return "skipped"
    started = time.monotonic()
    photo = Photo.objects.get(pk=photo_id)
    rights = photo.rights()
    try:
        with local_path(photo.original.name or "") as path:  # a stored photo has one
            result = sandbox().render(path, specs_for(photo), rights, layout.PAPER, photo.rotation)
    except ImageError as exc:
        # The author is told which setting raises the limit; imaging knows no filmstrip_settings.
        hint = " (FILMSTRIP_PROCESSING_MEMORY_MB)" if isinstance(exc, OutOfMemory) else ""
        mark_failed(photo, f"{exc}{hint}")
        logger.warning("Photo %s (%s) failed: %s", photo.pk, photo.original_filename, exc)
        return photo.status
    except Exception as exc:  # a bug or a library fault must not take the worker down
        logger.exception("Processing photo %s (%s) failed", photo.pk, photo.original_filename)
        mark_failed(photo, f"unexpected error: {exc.__class__.__name__}: {exc}"[:1000])
        return photo.status

    try:
        renditions = _store(photo, result.images, rights)
    except Exception as exc:  # a full disk or an unreachable bucket: say so, retry later
        logger.exception("Storing renditions of photo %s failed", photo.pk)
        mark_failed(photo, f"could not store its renditions: {exc}"[:1000])
        return photo.status
    recorded = _record(photo, renditions, result, rights)
    if recorded is None:
        # Deleted while it was rendered: what was just stored goes too (photos.removal).
        removal.delete_files(photo.checksum, photo.original.name)
        return "deleted"
    if not recorded:
        logger.info("Photo %s was turned while it was rendered: made again", photo.pk)
        return "turned"
    photo.refresh_from_db(fields=["status"])
    photo_ready.send(sender=Photo, photo_id=photo.pk)
    logger.info(
        "Photo %s (%s) ready: %d renditions in %.2f s",
        photo.pk,
        photo.original_filename,
        len(renditions),
        time.monotonic() - started,
    )
    return photo.status


def _record(photo: Photo, renditions: list[Rendition], result, rights) -> bool | None:
    """Give the photo its new renditions; None if it was deleted meanwhile, False (and queued
    again) if the author turned it meanwhile: these renditions show it the old way round."""
    with transaction.atomic():
        now = Photo.objects.select_for_update().filter(pk=photo.pk).values("rotation").first()
        if now is None:
            return None
        if now["rotation"] != photo.rotation:
            Photo.objects.filter(pk=photo.pk).update(
                status=Photo.Status.PENDING, status_changed_at=timezone.now()
            )
            jobs.queue_processing(photo)
            return False
        # Rows of renditions made for an earlier ladder, quality or rights go; their files stay,
        # since pages cached in front of the site may still point at them.
        current = {
            rendition_name(photo.checksum, i.spec, rights, photo.rotation) for i in result.images
        }
        photo.renditions.exclude(name__in=current).delete()
        Rendition.objects.bulk_create(renditions)
        # Only a photo still ours: a rebuild or an admin may have changed it meanwhile.
        Photo.objects.filter(pk=photo.pk, status=Photo.Status.PROCESSING).update(
            status=Photo.Status.READY,
            failure_reason="",
            placeholder_color=result.dominant_color,
            placeholder_hash=result.thumbhash,
            status_changed_at=timezone.now(),
        )
    return True
