"""Originals as readers may download them: the stored file, less its location unless shared."""

from pathlib import PurePath

from filmstrip.imaging.location import without_location

from .models import Photo


def public_original(photo: Photo, *, keep_location: bool) -> tuple[bytes, str]:
    """The bytes to hand a reader, and a file name for them.

    Raises filmstrip.imaging.location.UnsupportedFile when the location cannot be removed
    (only JPEG's can); callers offer such originals only when the location is shared.
    """
    with photo.original.open("rb") as f:
        data = f.read()
    if not keep_location:
        data = without_location(data)
    suffix = PurePath(photo.original.name).suffix
    stem = PurePath(photo.original_filename).stem or "photo"
    return data, f"{stem}{suffix}"
