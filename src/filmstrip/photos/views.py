"""Serving renditions from local disk, for the embedded default.

Rendition names are content-addressed, so a response can be cached forever. Originals are never
served from here. With object storage or a CDN, MEDIA_URL points there and this view is unused.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .naming import PREFIX


@require_safe
def rendition(request, name):
    name = posixpath.normpath(name)
    if name.startswith(("/", "..")) or "\\" in name:
        raise Http404
    stored = f"{PREFIX}/{name}"
    try:
        handle = default_storage.open(stored, "rb")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response
