"""The author's edits to a photo: stored on the photo and applied by the pipeline, never to the
original's bytes (which stay what was uploaded, checksum and all)."""

from django.db import transaction

from . import jobs
from .models import Photo

TURNS = {"right": 90, "left": 270}  # degrees clockwise


def turn(photo_id: int, direction: str) -> Photo:
    """Turn the photo a quarter ``direction`` ("left" or "right") and queue its renditions to be
    made again. Its size as displayed turns at once; its renditions of the old orientation go,
    so that nothing shows them at the new size, and the new ones get new names (photos.naming):
    a browser or CDN that keeps renditions for good never shows the photo sideways. The pages
    showing it are rebuilt when it is ready again (photos.signals.photo_ready)."""
    if direction not in TURNS:
        raise ValueError(f"turn must be one of {', '.join(map(repr, TURNS))}.")
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo_id)
        photo.rotation = (photo.rotation + TURNS[direction]) % 360
        photo.width, photo.height = photo.height, photo.width
        photo.save(update_fields=["rotation", "width", "height"])
        # Rows only: their files stay while pages cached in front of the site may name them.
        photo.renditions.all().delete()
        # A photo being processed is left to its job, which sees the turn and starts again.
        jobs.rebuild(Photo.objects.filter(pk=photo.pk))
    photo.refresh_from_db()
    return photo
