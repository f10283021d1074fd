"""Serving renditions from local disk, for the embedded default.

A rendition is served while its photo exists, so a deleted photo's URLs answer 404 at once. A
published photo's renditions are content-addressed and cached for good; a draft's are shown only
to who may preview it (staff, the essay's author) and never stored by a cache, since an immutable
copy could not be recalled. Originals are never served from here. With object storage or a CDN,
MEDIA_URL points there and this view is unused.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseNotFound
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from .models import Photo
from .naming import PREFIX


def not_found() -> HttpResponseNotFound:
    """A 404 nothing keeps: the draft whose rendition this is may be published a minute later."""
    response = HttpResponseNotFound("No such rendition.", content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


@require_safe
def rendition(request, name):
    stored = f"{PREFIX}/{name}"
    photo = Photo.objects.of_rendition(stored)  # none for a name that is not a rendition's
    public = photo.public().exists()
    # Only a draft's rendition asks who is reading: a public one stays the same for everyone.
    if not public and not photo.previewable_by(request.user).exists():
        return not_found()
    try:
        handle = default_storage.open(stored, "rb")
    except (FileNotFoundError, IsADirectoryError):
        return not_found()
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    if public:
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
