"""Errors of the image pipeline, and libvips' error text turned into words for an author."""

import re


class ImageError(Exception):
    """A photo that cannot be used; the message says why in words an author understands."""


class OutOfMemory(ImageError):
    """Decoding needed more memory than the process may use; the sandbox names its limit."""


# libvips' wrapper lines ("unable to call VipsForeignLoadPngFile", "pngload: load error") say
# only that something failed; the line worth showing is the decoder's own, if there is one.
_WRAPPERS = re.compile(
    r"^(unable to (call|copy to memory|load from (file|buffer|source))\b"
    r"|\w+: load error$|vipspng: libpng read error$|VipsForeignLoad\w*: .* is not a known file)"
)
_QUOTED_PATH = re.compile(r"""b?(["'])[^"']*[/\\][^"']*\1""")


def decoding_failed(exc: BaseException) -> ImageError:
    """The ImageError for a decoder's failure: out of memory, or what was wrong with the file."""
    text = str(exc).lower()
    if "out of memory" in text or "memory allocation" in text:
        return OutOfMemory("needs more memory to decode than it may use")
    return ImageError(f"could not be decoded: {decoder_reason(exc)}")


def decoder_reason(exc: BaseException) -> str:
    """The useful part of a libvips error, without the server's file paths."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    specific = [line for line in lines if not _WRAPPERS.match(line)]
    if not specific:
        if any("is not a known file" in line for line in lines):
            return "its contents are not in any format Filmstrip reads"
        return "the image data is damaged or incomplete"
    return _QUOTED_PATH.sub("the file", specific[0])[:300]
