"""Whether text a file carries is a caption a person wrote, or something a camera, a program or
a form left behind.

Cameras fill ImageDescription on their own ("OLYMPUS DIGITAL CAMERA"), programs leave their
placeholders ("caption", "null"), and some software writes a whole technical listing into the
caption field. None of it may reach a page or a feed as a caption or alt text, so
``honest(text)`` keeps the text only when it passes every rule below.
"""

import re

# Exact defaults known from cameras and software, compared without case or repeated spaces.
KNOWN_DEFAULTS = frozenset(
    {
        "olympus digital camera",
        "sony dsc",
        "kodak digital still camera",
        "kodak csc",
        "minolta dsc",
        "konica minolta digital camera",
        "digital camera",
        "digital still camera",
        "samsung",
        "samsung digital camera",
        "lg",
        "exif_jpeg_picture",
        "applemark",
        "hdr",
        "default",
        "image",
        "picture",
        "photo",
        "untitled",
        "untitled image",
        "null",
        "nil",
        "none",
        "undefined",
        "n/a",
        "na",
        "my beautiful picture",
        "lead technologies inc. v1.01",
        "created with gimp",
        "screenshot",
    }
)

# Text that begins like this is a camera's or a program's, whatever follows.
_MACHINE_PREFIX = re.compile(
    r"^(dcim\b|creator: gd-jpeg|(created|edited|processed|made) (with|by|in) "
    r"(gimp|photoshop|lightroom|snapseed|vsco|imagemagick|picasa|paint\.net)\b)",
    re.IGNORECASE,
)

# Only words a form or a sample file uses to say "a caption goes here": "Enter caption here",
# "The picture caption", "Image-Description", "No headline".
_PLACEHOLDER = re.compile(
    r"((a|an|the|my|your|no|enter|add|insert|type|write|here|image|photo|picture|caption|"
    r"description|title|headline|text|alt|iptc|xmp|exif)([\s_:.-]+|$))+"
)

# A camera's own file name, with or without its extension: IMG_1234, DSCN1767.JPG, P1010001.
_FILE_NAME = re.compile(
    r"^([^\n/\\]{1,80}\.(jpe?g|png|tiff?|heic|heif|avif|webp|gif|dng|cr[23w]|nef|arw|orf|raf|rw2|pef)"
    r"|(img|dsc[nf]?|_dsc|_mg|pxl|mvimg|gopr|dji|sam|wp|p)[_-]?\d[\w-]*)$",
    re.IGNORECASE,
)

# "Label : value" fields and technical figures, which together make a listing, not a caption.
_FIELD = re.compile(r"(?:^|\s{2,}|[;,|\n])\s*[^\W\d_][^:=\n]{0,30}?\s?[:=]\s*\S")
_TECHNICAL = re.compile(
    r"\b\d+(\.\d+)?\s*(kb|mb|byte|bytes|pixel|pixels|dpi|mm)\b"
    r"|\b\d{3,5}\s*[x×]\s*\d{2,5}\b|\bf/\d|\biso\s*\d{2,}|\b\d+/\d+\s*s(ec)?\b"
    r"|\b\d{4}[:/]\d{2}[:/]\d{2}\b",
    re.IGNORECASE,
)

# Photo Mechanic's separator: what follows it is a second, "local" caption.
_LOCAL_CAPTION = re.compile(r"\s*\*\*\*\s*local caption\s*\*\*\*.*$", re.IGNORECASE | re.DOTALL)


def honest(text: str) -> str:
    """``text`` tidied, if a person wrote it as a caption; else ""."""
    text = _LOCAL_CAPTION.sub("", text.replace("\x00", "")).strip()
    return "" if _machine_made(text) else text


def junk(text: str) -> bool:
    """Whether ``text`` is anything but a caption a person wrote (see the module's rules)."""
    return not honest(text)


def _machine_made(text: str) -> bool:
    plain = " ".join(text.split())
    folded = plain.casefold()
    if not any(c.isalpha() for c in plain):
        return True  # empty, spaces, numbers, dates, punctuation
    if folded in KNOWN_DEFAULTS or _MACHINE_PREFIX.match(plain):
        return True
    if re.fullmatch(r"[A-Z0-9 ]*DIGITAL CAMERA|[A-Z]+ DSC", plain):
        return True  # the same defaults from makers not listed above
    if _PLACEHOLDER.fullmatch(folded):
        return True
    if _FILE_NAME.match(plain):
        return True
    return _is_listing(text)


def _is_listing(text: str) -> bool:
    fields = len(_FIELD.findall(text))
    figures = len(_TECHNICAL.findall(text))
    return fields >= 4 or (fields >= 2 and figures >= 2) or figures >= 5
