"""The image pipeline as pure functions over files: no Django models, no storage.

``probe`` reads what a photo is (format, oriented size, capture time, embedded caption) from its
header; ``render`` decodes it once and makes every rendition. Both raise ``ImageError`` with a
message fit to show an author.
"""

from .errors import ImageError
from .probe import Probe, probe
from .render import RenderedImage, RenderResult, RenditionSpec, ladder, render
from .rights import Rights

__all__ = [
    "ImageError",
    "Probe",
    "probe",
    "RenditionSpec",
    "RenderedImage",
    "RenderResult",
    "ladder",
    "render",
    "Rights",
]
