"""Content-addressed names: a rendition's name comes from its original's checksum and its spec.

Changing the ladder, a quality, the pipeline or the rights changes the name, so caches never
serve stale bytes and every rendition URL can be cached forever.
"""

import re

from filmstrip.imaging import RenditionSpec, Rights

PREFIX = "r"
_NAME = re.compile(rf"{PREFIX}/([0-9a-f]{{2}})/(\1[0-9a-f]{{30}})-[^/\x00]{{1,200}}")


def rendition_name(checksum: str, spec: RenditionSpec, rights: Rights, rotation: int = 0) -> str:
    """Original, spec, the rights written into the file and the author's rotation decide the
    bytes, and so the name (an unturned photo's names are those it had before rotation was)."""
    turned = f"t{rotation}-" if rotation else ""
    return f"{PREFIX}/{checksum[:2]}/{checksum[:32]}-{rights.digest}-{turned}{spec.key}"


def checksum_prefix(name: str) -> str | None:
    """The start of the original's checksum a stored rendition name begins with (None when
    ``name`` is not a rendition's): whose rendition it is, with a row or without one."""
    match = _NAME.fullmatch(name)
    return match[2] if match else None
