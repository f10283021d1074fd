"""How an old address is written down: one key per place on the old site, whatever form a link
to it takes. Pure functions, no Django models.

- Scheme, host and any query are dropped (the old domain now points here), except WordPress's
  ``?p=ID``, ``?page_id=ID`` and ``?attachment_id=ID`` at the root, which with ``/archives/ID``
  all name one id space: they become ``/?p=ID``.
- The path is percent-decoded, lower-cased (WordPress matches slugs without regard to case) and
  loses its trailing slash, so ``/Slug``, ``/slug/`` and ``/%73lug/`` are one address.
- An upload, resized or not and wherever it was served from (``/wp-content/uploads/…``,
  ``/files/…``, ``*.files.wordpress.com/…``, ``i0.wp.com/<host>/…``, multisite folders), becomes
  its original's ``/wp-content/uploads/YYYY/MM/name.ext``.
"""

import re
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_LENGTH = 500  # OldAddress.path
ID_QUERIES = ("p", "page_id", "attachment_id")
_ROOTS = ("/", "/index.php")
_ARCHIVES = re.compile(r"/archives/(\d+)")
_PHOTON = re.compile(r"i\d\.wp\.com")
# An upload's folder on every kind of WordPress site, then YYYY/MM/, the name without the size
# WordPress resized it to (-1024x683), "-scaled" (big images) or an edit's "-e<13 digits>".
_UPLOAD = re.compile(
    r"/(?:wp-content/uploads/(?:sites/\d+/)?|wp-content/blogs\.dir/\d+/files/|files/)?"
    r"(\d{4}/\d\d)/([^/]+?)(?:-\d+x\d+)?(?:-scaled)?(?:-e\d{13})?(\.[a-z0-9]{2,5})"
)
_PAGES = {".html", ".htm", ".php"}  # a permalink ending in .html is not an upload


def key(address: str | None) -> str | None:
    """The key of ``address`` (a full URL or a path with or without a query), or None when it
    names no page of its own (none or empty, the home page without an id, not http)."""
    if not address or not address.strip():
        return None
    parts = urlsplit(address.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    path = parts.path
    if _PHOTON.fullmatch(parts.hostname or ""):
        path = "/" + path.lstrip("/").partition("/")[2]  # i0.wp.com/<host>/<path>
    return path_key(unquote(path, errors="replace"), parts.query)


def path_key(path: str, query: str = "") -> str | None:
    """The key of a decoded ``path`` (a request's ``path_info``) and its raw ``query``."""
    if len(path) > 2 * MAX_LENGTH:  # before any pattern is tried on it
        return None
    path = "/" + path.lower().strip("/")
    if path in _ROOTS:
        post = post_id(query)
        return f"/?p={post}" if post is not None else None
    archive = _ARCHIVES.fullmatch(path)
    if archive:
        return f"/?p={int(archive[1])}"
    upload = _UPLOAD.fullmatch(path)
    if upload and upload[3] not in _PAGES:
        path = f"/wp-content/uploads/{upload[1]}/{upload[2]}{upload[3]}"
    return path if len(path) <= MAX_LENGTH else None


def post_id(query: str) -> int | None:
    """The WordPress post id a root query names (``p``, ``page_id`` or ``attachment_id``)."""
    for name, value in parse_qsl(query):
        if name in ID_QUERIES and value.isascii() and value.isdigit() and len(value) < 19:
            return int(value)
    return None
