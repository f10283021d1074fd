"""One modification time per published document, shared by every machine that writes it.

A file's ETag and Last-Modified come from its modification time (as nginx makes them). Each
machine renders the same bytes, but at its own moment: left alone, a reader or CDN moving
between machines would get another ETag, and the whole page again, from each. So the database
keeps, per URL path, the digest of the bytes last published and the time they first were;
a machine that renders the same bytes gives its files that time.
"""

import hashlib

from .models import DocumentVersion


def modified_ns(path: str, content: bytes, now_ns: int) -> int:
    """The time ``content`` was first published at ``path`` (``now_ns`` when it is new)."""
    digest = hashlib.sha256(content).hexdigest()
    versions = DocumentVersion.objects.filter(path=path)
    known = versions.values_list("digest", "modified_ns").first()
    if known is not None and known[0] == digest:
        return known[1]
    if known is None:
        row = DocumentVersion(path=path, digest=digest, modified_ns=now_ns)
        DocumentVersion.objects.bulk_create([row], ignore_conflicts=True)
    else:  # compare and set: of two machines racing, one writes and both read it back
        versions.filter(digest=known[0]).update(digest=digest, modified_ns=now_ns)
    recorded = versions.filter(digest=digest).values_list("modified_ns", flat=True).first()
    return now_ns if recorded is None else recorded


def forget(paths) -> None:
    """Documents removed: published again, they start afresh."""
    paths = list(paths)
    for start in range(0, len(paths), 500):
        DocumentVersion.objects.filter(path__in=paths[start : start + 500]).delete()


def forget_folder(slug: str) -> None:
    DocumentVersion.objects.filter(path__startswith=f"/{slug}/").delete()
