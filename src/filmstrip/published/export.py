"""The whole public site as a folder any static host can serve (`filmstrip publish --to DIR`).

The same documents and renditions as the published directory, plus the static files. What
only the live site can answer (posting a comment, signing in, a Webmention, an original's
download) is linked at FILMSTRIP_SITE_URL, so a copy on another host still sends readers there.
"""

import os
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles import finders

from . import documents, files, layout, renditions
from .rebuild import GONE, RenderFailed

# Root-relative addresses in pages that only the live site answers.
LIVE_ONLY = re.compile(
    rb'((?:href|action|src|data-[a-z-]+)=")'
    rb"(/(?:comments|accounts|studio|admin)/|/webmention\b|/xmlrpc\b|/oembed\b"
    rb'|/[^"]*/original")'
)


def live_links(content: bytes) -> bytes:
    """``content`` with every address only the live site answers made absolute."""
    site = settings.SITE_URL.encode()
    return LIVE_ONLY.sub(lambda match: match[1] + site + match[2], content)


def export_site(folder: str, progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Write every public document, rendition and static file into ``folder``."""
    paths = documents.every_path()
    written = 0
    for done, path in enumerate(paths, 1):
        relative = layout.file_for(path)
        rendered = documents.render(path)
        if rendered.status not in (200, *GONE):
            raise RenderFailed(f"{path} answered {rendered.status}")
        if relative and rendered.status == 200:
            content = rendered.content
            if relative.endswith(".html"):
                content = live_links(content)
            files.write_document(os.path.join(folder, relative), content, mtime=time.time())
            written += 1
        if progress:
            progress(done, len(paths), path)
    exported = renditions.export(folder, link=False)  # a copy to hand over, not our files
    return {"documents": written, "renditions": exported.added, "static": _static(folder)}


def _static(folder: str) -> int:
    """Copy the static files pages refer to (/static/...), as the finders see them."""
    count, seen = 0, set()
    prefix = settings.STATIC_URL.strip("/")
    for finder in finders.get_finders():
        for relative, storage in finder.list(["CVS", ".*", "*~"]):
            if relative in seen:
                continue  # the first finder's file wins, as when serving
            seen.add(relative)
            prefixed = getattr(storage, "prefix", None)
            target_relative = os.path.join(prefixed, relative) if prefixed else relative
            source = storage.path(relative)
            files.place_copy(source, os.path.join(folder, prefix, target_relative), link=False)
            count += 1
    return count
