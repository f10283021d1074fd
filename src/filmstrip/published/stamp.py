"""Which code and settings built the published directory.

A directory built by another version (after an upgrade) or with other settings (a new site
title or address) is not served: Django answers until a whole-site rebuild writes the stamp.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

from filmstrip.conf import DEFAULTS

from . import files, layout

PACKAGE = Path(__file__).resolve().parent.parent
# What shapes the bytes of a page: the code and templates, and these settings.
SOURCES = (".py", ".html", ".css", ".xml", ".txt", ".json")
SETTINGS = ("SITE_URL", "MEDIA_URL", "STATIC_URL", "TIME_ZONE", "LANGUAGE_CODE")


@cache
def current() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in SOURCES and "static" not in path.relative_to(PACKAGE).parts[:1]:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    for name in (*SETTINGS, *sorted(DEFAULTS)):
        digest.update(f"{name}={getattr(settings, name, None)!r}\0".encode())
    return digest.hexdigest()


def read(root: str) -> str | None:
    try:
        with open(os.path.join(root, layout.STAMP)) as handle:
            return handle.read().strip()
    except OSError:
        return None


def is_current(root: str) -> bool:
    return read(root) == current()


def write(root: str) -> None:
    files.write_atomic(os.path.join(root, layout.STAMP), current().encode())
