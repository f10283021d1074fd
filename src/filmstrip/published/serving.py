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
# Files up to this size are kept in memory once read (every page; most renditions are larger).
KEEP_BYTES = 512 * 1024
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
        # What one request costs is mostly looking things up again; these remember the answers,
        # each bounded (emptied when full), since their keys come from requests.
        self._files = _Bounded(10_000)  # (path, raw path, query) -> published file or None
        self._encodings = _Bounded(1_000)  # Accept-Encoding -> the encodings of ours it accepts
        self._answers = _Bounded(5_000)  # (file, encodings) -> _Answer, checked by stat
        stamp.current()  # computed once, before the first reader waits for it

    @property
    def root(self) -> str:
        if self._root is None:
            self._root = layout.root()
        return self._root

    def __call__(self, environ, start_response):
        relative = self._requested(environ)
        if relative is not None and self._site_headers() is not None:
            answer = self._answer(environ, relative)
            if answer is not None:
                return answer.send(environ, start_response)
        if relative is not None and not layout.is_rendition(relative):
            return self._django_then_ask(environ, start_response)
        return self.app(environ, start_response)

    def _requested(self, environ) -> str | None:
        """The published file the request asks for, if it may be answered from one."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("SCRIPT_NAME"):
            return None
        key = (environ.get("PATH_INFO", ""), _raw_uri(environ), environ.get("QUERY_STRING", ""))
        relative = self._files.get(key, False)
        if relative is False:
            relative = self._files.put(key, _file_for(*key))
        if relative is None or _needs_https(environ):
            return None
        return relative

    def _site_headers(self) -> list[tuple[str, str]] | None:
        """The headers recorded with the directory, or None while it is not ours to serve: not
        built yet, deleted, or built by another version or other settings."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_SECONDS:
            return self._headers
        with self._lock:
            if now - self._checked >= CHECK_EVERY_SECONDS:
                headers = self._read_headers()
                if headers != self._headers:
                    self._answers.clear()
                    self._headers = headers
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

    def _answer(self, environ, relative) -> "_Answer | None":
        """The answer last read for this file and these encodings, while its file is unchanged;
        else the file read again (and kept, if small). None when there is no such file."""
        document = not layout.is_rendition(relative)
        accept = environ.get("HTTP_ACCEPT_ENCODING", "") if document else ""
        encodings = self._encodings.get(accept)
        if encodings is None:
            encodings = self._encodings.put(accept, _accepted(accept))
        key = (relative, encodings)
        answer = self._answers.get(key)
        if answer is not None and answer.is_current():
            return answer
        full = os.path.join(self.root, relative)
        answer = _Answer.read(full, encodings, relative, document, self._headers)
        if answer is not None and answer.handle is None:
            self._answers.put(key, answer)
        return answer

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
        if os.path.exists(os.path.join(self.root, layout.CURSOR)):
            return  # a follower keeps this directory, and rebuilds it whole itself
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


def _raw_uri(environ) -> str:
    """The path as sent, where the server tells it (gunicorn does; granian only decodes)."""
    return (environ.get("RAW_URI") or environ.get("REQUEST_URI") or "").split("?", 1)[0]


def _file_for(path: str, raw_path: str, query: str) -> str | None:
    raw_path = raw_path.lower()
    if len(raw_path) > layout.MAX_PATH_BYTES * 3 or any(
        code in raw_path for code in REFUSED_IN_RAW_PATH
    ):
        return None
    if not _tracking_only(query):
        return None
    try:
        path = path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    return layout.file_for(path)


def _accepted(accept: str) -> tuple[tuple[str, str], ...]:
    """The encodings of ours the reader accepts, ours preferred (q=0 refuses one)."""
    quality = {}
    for part in accept.split(","):
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
    return tuple(pair for pair in ENCODINGS if quality.get(pair[0], wildcard) > 0)


class _Answer:
    """One published file as read: the variant chosen, its headers, and its bytes when small
    (kept for the next readers while a stat of that variant finds the same file: a rebuild
    replaces files by rename, so a new inode, time or size means new bytes) or else the file,
    opened for this one request."""

    __slots__ = ("path", "signature", "headers", "headers_200", "body", "handle", "etag", "mtime")

    @classmethod
    def read(cls, full, encodings, relative, document, site_headers) -> "_Answer | None":
        for encoding, suffix in [*encodings, (None, "")]:
            try:
                fd = os.open(full + suffix, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                continue
            handle = os.fdopen(fd, "rb")
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                handle.close()
                return None
            answer = cls(full + suffix, info, encoding, relative, document, site_headers)
            if info.st_size <= KEEP_BYTES:
                with handle:
                    answer.body = handle.read()
            else:
                answer.handle = handle
            return answer
        return None

    def __init__(self, path, info, encoding, relative, document, site_headers):
        self.path, self.signature = path, _signature(info)
        self.body, self.handle = None, None
        # Nanoseconds: a rebuild stamps all its files alike, and two within one second may
        # write pages of equal size, which a whole-second tag could not tell apart.
        self.etag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
        self.mtime = int(info.st_mtime)
        headers = [("ETag", self.etag), ("Last-Modified", formatdate(self.mtime, usegmt=True))]
        headers += _without(site_headers, "Cache-Control")
        if document:
            cache = dict(site_headers).get("Cache-Control", "no-cache")
            headers += [("Cache-Control", cache), ("Vary", "Accept-Encoding")]
            content_type = layout.content_type(relative)
        else:
            headers.append(("Cache-Control", RENDITION_CACHE))
            content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        self.headers = headers  # what a 304 repeats
        headers = [*headers, ("Content-Type", content_type), ("Content-Length", str(info.st_size))]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        self.headers_200 = headers

    def is_current(self) -> bool:
        try:
            return _signature(os.stat(self.path, follow_symlinks=False)) == self.signature
        except OSError:
            return False

    def send(self, environ, start_response):
        if _not_modified(environ, self.etag, self.mtime):
            start_response("304 Not Modified", self.headers)
            return self._nothing()
        start_response("200 OK", self.headers_200)
        if environ["REQUEST_METHOD"] == "HEAD":
            return self._nothing()
        if self.handle is None:
            return [self.body]
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(self.handle, CHUNK) if wrapper else _chunks(self.handle)

    def _nothing(self) -> list:
        if self.handle is not None:
            self.handle.close()
        return []


def _signature(info) -> tuple[int, int, int]:
    return (info.st_ino, info.st_mtime_ns, info.st_size)


class _Bounded(dict):
    """A dict that empties itself when full, for keys that come from requests."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key, value):
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


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
