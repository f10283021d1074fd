"""Public renditions beside the published pages, so that they too are sent without Django.

The published directory's ``media/r/`` holds a hard link (else a copy) of every rendition
anyone may see (``Rendition.objects.public()``), and nothing else: a rendition of a draft, or of
a photo taken down, is not there and goes to Django, whose view decides who may see it.
"""

import contextlib
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from filmstrip.photos.models import Rendition

from . import files, layout


@dataclass
class ExportResult:
    added: int = 0
    removed: int = 0


def exported_here() -> bool:
    """Only renditions on local disk under /media/ (object storage has its own front)."""
    if settings.MEDIA_URL != "/media/":
        return False
    try:
        default_storage.path("r")
    except NotImplementedError:
        return False
    return True


def export(root: str, *, link: bool = True) -> ExportResult:
    result = ExportResult()
    if not exported_here():
        return result
    folder = os.path.join(root, "media")
    wanted = set(Rendition.objects.public().values_list("name", flat=True))
    present = set(present_names(folder))
    for name in sorted(wanted - present):
        source = default_storage.path(name)
        if os.path.exists(source):
            files.place_copy(source, os.path.join(folder, name), link=link)
            result.added += 1
    for name in present - wanted:
        os.unlink(os.path.join(folder, name))
        result.removed += 1
    return result


def present_names(folder: str):
    """Names (r/...) of the renditions exported into ``folder`` (the media folder)."""
    top = os.path.join(folder, "r")
    for directory, _, names in os.walk(top):
        for name in names:
            if not name.startswith(".tmp-"):
                yield os.path.relpath(os.path.join(directory, name), folder)


def withdraw(sender, instance: Rendition, **kwargs) -> None:
    """post_delete receiver for Rendition: a photo taken down leaves the published directory
    as soon as its deletion is committed, not at the next rebuild, so its address answers 404
    at once (Django's view, which no longer finds the photo)."""
    name = instance.name
    transaction.on_commit(lambda: _unlink(name), robust=True)


def _unlink(name: str) -> None:
    if exported_here():
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(layout.root(), "media", name))
