"""Decoding HEIC (HEVC-coded HEIF, what iPhones write) through libheif from pillow-heif.

The libvips in pyvips-binary reads HEIF headers and decodes AVIF, but carries no HEVC decoder.
pillow-heif's libheif does: it decodes the primary image with the container's rotation and mirror
already applied, and hands over its colour profile so the photo can be converted to sRGB.
"""

from .vips import pyvips

MISSING_CODEC = "compression format has not been built in"


def needs_libheif(error: Exception) -> bool:
    return MISSING_CODEC in str(error)


def decode(path: str, width: int, height: int = 10_000_000) -> pyvips.Image:
    """The photo at ``path`` as an 8-bit sRGB image within ``width``×``height``."""
    import pillow_heif

    heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
    pillow = heif.to_pillow()
    if pillow.mode not in ("RGB", "RGBA"):
        pillow = pillow.convert("RGBA" if "A" in pillow.mode else "RGB")
    image = pyvips.Image.new_from_memory(
        pillow.tobytes(), pillow.width, pillow.height, len(pillow.mode), "uchar"
    ).copy(interpretation="srgb")
    profile = heif.info.get("icc_profile")
    if profile:
        image.set_type(pyvips.GValue.blob_type, "icc-profile-data", profile)
        image = image.icc_transform("srgb", embedded=True, intent="relative")
    if image.width > width or image.height > height:
        image = image.thumbnail_image(width, height=height, size="down")
    return image
