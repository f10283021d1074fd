"""Taking a photo file in: checksum, probe, keep the original, queue its processing."""

import hashlib
import logging
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from filmstrip.columns import clipped
from filmstrip.conf import filmstrip_settings
from filmstrip.imaging import ImageError, probe

from . import jobs, originals
from .models import Photo, PhotoLocation

logger = logging.getLogger(__name__)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _aware(value):
    if value is None or timezone.is_aware(value):
        return value
    # A camera clock has no zone; read it in the site's zone rather than guess.
    return timezone.make_aware(value)


def _offset_minutes(value) -> int | None:
    if value is None or value.utcoffset() is None:
        return None
    return int(value.utcoffset().total_seconds() // 60)


def add_photo(path: Path, original_filename: str | None = None) -> tuple[Photo, bool]:
    """Store the photo at ``path`` and queue its processing; returns (photo, created).

    A file already stored (same SHA-256) is not stored twice: the existing photo is returned.
    Raises ImageError, with a message for the author, for anything that is not a usable photo;
    nothing is stored then.
    """
    path = Path(path)
    name = original_filename or path.name
    size = path.stat().st_size
    if size > filmstrip_settings.MAX_UPLOAD_BYTES:
        raise ImageError(
            f"the file is {size / 2**20:.0f} MB, more than the limit of "
            f"{filmstrip_settings.MAX_UPLOAD_BYTES / 2**20:.0f} MB (FILMSTRIP_MAX_UPLOAD_BYTES)"
        )
    checksum = sha256_file(path)
    existing = Photo.objects.filter(checksum=checksum).first()
    if existing:
        return existing, False

    info = probe(path)
    if info.pixels > filmstrip_settings.MAX_PIXELS:
        raise ImageError(
            f"{info.width}×{info.height} is {info.pixels / 1e6:.0f} megapixels, "
            "more than the limit "
            f"of {filmstrip_settings.MAX_PIXELS / 1e6:.0f} (FILMSTRIP_MAX_PIXELS)"
        )
    # What the file says, cut to fit columns of a fixed width.
    texts = clipped(
        Photo,
        original_filename=name,
        title=info.title,
        creator=info.creator,
        copyright=info.copyright,
        camera_make=info.camera_make,
        camera_model=info.camera_model,
        lens=info.exposure.lens,
        exposure_time=info.exposure.exposure_time,
    )
    photo = Photo(
        **texts,
        checksum=checksum,
        size_bytes=size,
        format=info.format,
        width=info.width,
        height=info.height,
        captured_at=_aware(info.captured_at),
        description=info.description,
        embedded_alt_text=info.alt_text,
        focal_length=info.exposure.focal_length,
        f_number=info.exposure.f_number,
        iso=info.exposure.iso if info.exposure.iso and info.exposure.iso < 2**31 else None,
        captured_offset=_offset_minutes(info.captured_at),
    )
    originals.check(photo, path)
    with path.open("rb") as f:
        photo.original.save(name, File(f), save=False)
    try:
        with transaction.atomic():
            photo.save()
            if info.location:
                PhotoLocation.objects.create(
                    photo=photo,
                    latitude=info.location.latitude,
                    longitude=info.location.longitude,
                    altitude=info.location.altitude,
                )
            jobs.queue_processing(photo)
    except IntegrityError:
        # Another process stored the same file a moment ago: keep theirs, drop our copy.
        photo.original.storage.delete(photo.original.name or "")  # just saved: it has one
        return Photo.objects.get(checksum=checksum), False
    return photo, True
