"""Sending published files in front of Django, for `filmstrip serve` (project/wsgi.py).

A GET or HEAD whose path names a published file gets that file, as nginx would send it, without
Django or the database: the precompressed version the reader accepts (Brotli, then gzip), an
ETag and Last-Modified answered with 304, and the headers Django gives public pages (read from
the directory, where each rebuild records them). Everything else goes to Django as before:
other methods, drafts and previews, the studio, forms, a path that is not one our slugs could
have made (``..``, an encoded slash, NUL, a backslash, too long), and any address whose file is
missing. A public page Django had to render for want of its file is rebuilt by the worker.

Query strings: a link shared on a social site comes with tracking arguments (``?utm_source=``,
``?fbclid=``), and is served the file, whose bytes are what Django would send (public pages
never read their query). Any other query goes to Django: after posting or editing a comment the
reader is sent to ``/<slug>/?comment=<id>``, which must show their comment at once, before the
rebuild has written it.
"""

import json
import logging
import mimetypes
import os
import stat
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import parse_qsl

from . import layout, stamp

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
CHECK_EVERY_SECONDS = 1.0  # how often the stamp and headers are read again
ASK_AGAIN_SECONDS = 30  # a missing file is asked for at most this often per process
RENDITION_CACHE = "public, max-age=31536000, immutable"
TRACKING = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref")
REFUSED_IN_RAW_PATH = ("%2f", "%5c", "%00")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class PublishedFiles:
    """WSGI middleware: published files for GET and HEAD, Django for the rest."""

    def __init__(self, app, root: str | None = None):
        self.app = app
        self._root = root
        self._lock = threading.Lock()
        self._checked = 0.0
        self._headers: list[tuple[str, str]] | None = None
        self._asked: dict[str, float] = {}
        stamp.current()  # computed once, before the first reader waits for it

    @property
    def root(self) -> str:
        if self._root is None:
            self._root = layout.root()
        return self._root

    def __call__(self, environ, start_response):
        relative = self._requested(environ)
        if relative is not None:
            headers = self._site_headers()
            if headers is not None:
                sent = self._send(environ, start_response, relative, headers)
                if sent is not None:
                    return sent
        if relative is not None and not layout.is_rendition(relative):
            return self._django_then_ask(environ, start_response)
        return self.app(environ, start_response)

    def _requested(self, environ) -> str | None:
        """The published file the request asks for, if it may be answered from one."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("SCRIPT_NAME"):
            return None
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        raw_path = raw.split("?", 1)[0].lower()
        if len(raw_path) > layout.MAX_PATH_BYTES * 3 or any(
            code in raw_path for code in REFUSED_IN_RAW_PATH
        ):
            return None
        if not _tracking_only(environ.get("QUERY_STRING", "")):
            return None
        if _needs_https(environ):
            return None
        try:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None
        return layout.file_for(path)

    def _site_headers(self) -> list[tuple[str, str]] | None:
        """The headers recorded with the directory, or None while it is not ours to serve: not
        built yet, deleted, or built by another version or other settings."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_SECONDS:
            return self._headers
        with self._lock:
            if now - self._checked >= CHECK_EVERY_SECONDS:
                self._headers = self._read_headers()
                self._checked = now
        return self._headers

    def _read_headers(self):
        if not stamp.is_current(self.root):
            return None
        try:
            with open(os.path.join(self.root, layout.HEADERS), "rb") as handle:
                return list(json.load(handle).items())
        except (OSError, ValueError):
            return None

    def _send(self, environ, start_response, relative, site_headers):
        document = not layout.is_rendition(relative)
        full = os.path.join(self.root, relative)
        chosen = _open(full, _accepted(environ) if document else ())
        if chosen is None:
            return None
        handle, info, encoding = chosen
        if document:
            content_type = layout.content_type(relative)
        else:
            content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        validators = [
            # Nanoseconds: a rebuild stamps all its files alike, and two within one second
            # may write pages of equal size, which a whole-second tag could not tell apart.
            ("ETag", f'"{info.st_mtime_ns:x}-{info.st_size:x}"'),
            ("Last-Modified", formatdate(int(info.st_mtime), usegmt=True)),
        ]
        headers = [*validators, *_without(site_headers, "Cache-Control")]
        headers.append(("Cache-Control", dict(site_headers).get("Cache-Control", "no-cache")))
        if not document:
            headers[-1] = ("Cache-Control", RENDITION_CACHE)
        else:
            headers.append(("Vary", "Accept-Encoding"))
        if _not_modified(environ, validators[0][1], int(info.st_mtime)):
            handle.close()
            start_response("304 Not Modified", headers)
            return []
        headers += [("Content-Type", content_type), ("Content-Length", str(info.st_size))]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        start_response("200 OK", headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            handle.close()
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(handle, CHUNK) if wrapper else _chunks(handle)

    def _django_then_ask(self, environ, start_response):
        """Django answers; if it sent a public page, the worker is asked to write its file."""
        answer = {}

        def recording_start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        if answer.get("status", "").startswith("200") and self._headers is not None:
            cache = dict((k.lower(), v) for k, v in answer["headers"]).get("cache-control", "")
            if "public" in cache:
                self._ask(environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8"))
        elif self._headers is None:
            self._ask_whole_site()
        return result

    def _ask(self, path: str) -> None:
        now = time.monotonic()
        if now - self._asked.get(path, -ASK_AGAIN_SECONDS) < ASK_AGAIN_SECONDS:
            return
        if len(self._asked) > 10_000:
            self._asked.clear()
        self._asked[path] = now
        _request(lambda requests: requests.request_rebuild(requests.path_target(path)))

    def _ask_whole_site(self) -> None:
        now = time.monotonic()
        if now - self._asked.get("", -ASK_AGAIN_SECONDS) < ASK_AGAIN_SECONDS:
            return
        self._asked[""] = now
        _request(lambda requests: requests.request_whole_site())


def _request(action) -> None:
    from django.db import transaction

    from . import requests

    try:
        with transaction.atomic():
            action(requests)
    except Exception:  # the reader has their page; the rebuild is only owed
        logger.exception("Could not ask for a rebuild of the published site")


def _tracking_only(query: str) -> bool:
    return all(key.lower().startswith(TRACKING) for key, _ in parse_qsl(query, True))


def _needs_https(environ) -> bool:
    """Behind an HTTPS proxy, a plain-HTTP request goes to Django, which redirects it."""
    from django.conf import settings

    if not settings.SECURE_SSL_REDIRECT or environ.get("wsgi.url_scheme") == "https":
        return False
    header = settings.SECURE_PROXY_SSL_HEADER
    return not (header and environ.get(header[0]) == header[1])


def _accepted(environ) -> list[tuple[str, str]]:
    """The encodings of ours the reader accepts, ours preferred (q=0 refuses one)."""
    quality = {}
    for part in environ.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, *params = (piece.strip() for piece in part.split(";"))
        value = 1.0
        for param in params:
            if param.lower().startswith("q="):
                try:
                    value = float(param[2:])
                except ValueError:
                    value = 0.0
        if name:
            quality[name.lower()] = value
    wildcard = quality.get("*", 0.0)
    return [pair for pair in ENCODINGS if quality.get(pair[0], wildcard) > 0]


def _open(full: str, encodings):
    """The first of the variants (compressed ones the reader accepts, then the plain file) that
    is there: (open file, its stat, its Content-Encoding or None)."""
    for encoding, suffix in [*encodings, (None, "")]:
        try:
            fd = os.open(full + suffix, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb"), info, encoding
    return None


def _not_modified(environ, etag: str, mtime: int) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
        return "*" in tags or etag in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
    return False


def _without(headers, name):
    return [(key, value) for key, value in headers if key.lower() != name.lower()]


def _chunks(handle):
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
