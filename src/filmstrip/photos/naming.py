"""Content-addressed names: a rendition's name comes from its original's checksum and its spec.

Changing the ladder, a quality or the pipeline changes the name, so caches never serve stale
bytes and every rendition URL can be cached forever.
"""

from filmstrip.imaging import RenditionSpec

PREFIX = "r"


def rendition_name(checksum: str, spec: RenditionSpec) -> str:
    return f"{PREFIX}/{checksum[:2]}/{checksum[:32]}-{spec.key}"
