"""Content-addressed names: a rendition's name comes from its original's checksum and its spec.

Changing the ladder, a quality, the pipeline or the rights changes the name, so caches never
serve stale bytes and every rendition URL can be cached forever.
"""

from filmstrip.imaging import RenditionSpec, Rights

PREFIX = "r"


def rendition_name(checksum: str, spec: RenditionSpec, rights: Rights) -> str:
    """Original, spec and the rights written into the file decide the bytes, and so the name."""
    return f"{PREFIX}/{checksum[:2]}/{checksum[:32]}-{rights.digest}-{spec.key}"
