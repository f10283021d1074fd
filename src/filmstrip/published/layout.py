"""Where each public document lives in the published directory, and what type it is.

One table for both sides: the rebuild writes a URL path's document to ``file_for(path)``, and the
serving layer (and nginx's configuration) finds it there. Pure: no database, no request input
beyond the path, which ``file_for`` refuses unless it is one our own slugs could have made.
"""

import os
from pathlib import PurePosixPath

# Longest request path looked up at all; longer ones go to Django, which answers as today.
MAX_PATH_BYTES = 1024
# Longest name of one folder or file on the usual file systems (ext4, XFS, tmpfs).
MAX_NAME_BYTES = 255

# RSS and Atom as application/xml: feed readers take it, and browsers then show the feed through
# its stylesheet (syndication.feeds.ReadableFeed) instead of as raw text or a download.
FEED_XML = "application/xml; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": FEED_XML,
    ".atom": FEED_XML,
    ".json": "application/feed+json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# Feeds are folders too (``/feed/rss/``): the file inside is named by the feed's type.
FEED_FILES: dict[tuple[str, ...], str] = {
    ("feed", "rss"): "index.rss",
    ("feed", "atom"): "index.atom",
    ("feed", "json"): "index.json",
    ("comments", "feed"): "index.atom",  # syndication.feeds.CommentFeed is an Atom feed
}
TOP_FILES = {"sitemap.xml", "robots.txt"}
COMPRESSED = {".gz": "gzip", ".br": "br"}
# Renditions: /media/r/<name> is <published>/media/r/<name>, exported only while public.
RENDITIONS = "media/r"
# Our own bookkeeping in the published directory, never served (see ``file_for``).
STAMP = ".stamp"
HEADERS = ".headers.json"
CURSOR = ".follow"  # how far this machine's follower has read the shared log (follow.py)


def file_for(url_path: str) -> str | None:
    """The published file (relative, POSIX) of the document at ``url_path``, or None when the
    path names no document we publish or could not have come from our slugs: ``..``, a hidden
    or temporary name, a backslash, NUL, an empty segment, or a name too long to store."""
    if not url_path.startswith("/") or len(url_path.encode()) > MAX_PATH_BYTES:
        return None
    if "\\" in url_path or "\x00" in url_path:
        return None
    segments = url_path[1:].split("/")
    if url_path.endswith("/"):
        segments.pop()
    for segment in segments:
        if not segment or segment.startswith(".") or len(segment.encode()) > MAX_NAME_BYTES:
            return None
    if not url_path.endswith("/"):
        if url_path.startswith(f"/{RENDITIONS}/") and len(segments) > 2:
            return "/".join(segments)
        return segments[0] if len(segments) == 1 and segments[0] in TOP_FILES else None
    name = FEED_FILES.get(tuple(segments[-2:]), "index.html")
    return "/".join([*segments, name])


def content_type(relative: str) -> str | None:
    return CONTENT_TYPES.get(PurePosixPath(relative).suffix)


def is_rendition(relative: str) -> bool:
    return relative.startswith(f"{RENDITIONS}/")


def url_of(relative: str) -> str | None:
    """The URL path a published document's file answers (the inverse of ``file_for``)."""
    folder, _, name = relative.rpartition("/")
    if not folder:
        return f"/{name}" if name in TOP_FILES else ("/" if name == "index.html" else None)
    path = f"/{folder}/"
    return path if file_for(path) == relative else None


def root() -> str:
    from django.conf import settings

    return os.fspath(settings.FILMSTRIP_PUBLISHED_DIR)
