"""Reading IPTC IIM records (captions, titles, credits) from a JPEG's Photoshop APP13 block.

libvips hands us the raw block; the IIM format is small enough that a parser of our own is
clearer than a dependency. Unknown or malformed data yields fewer fields, never an exception.
"""

import struct

# IIM record 2 datasets we use, by number.
DATASETS = {
    5: "object_name",
    25: "keywords",
    55: "date_created",
    60: "time_created",
    80: "byline",
    105: "headline",
    110: "credit",
    116: "copyright",
    120: "caption",
}
_IIM_RESOURCE = 0x0404
_UTF8_MARKER = b"\x1b%G"


def _photoshop_resources(block: bytes):
    """Yield (resource id, data) for each 8BIM resource in a Photoshop IRB block."""
    start = block.find(b"8BIM")
    pos = start if start >= 0 else len(block)
    while pos + 12 <= len(block) and block[pos : pos + 4] == b"8BIM":
        (resource_id,) = struct.unpack_from(">H", block, pos + 4)
        name_len = block[pos + 6]
        name_total = name_len + 1 + ((name_len + 1) % 2)  # Pascal string padded to even
        size_at = pos + 6 + name_total
        if size_at + 4 > len(block):
            return
        (size,) = struct.unpack_from(">I", block, size_at)
        data_at = size_at + 4
        yield resource_id, block[data_at : data_at + size]
        pos = data_at + size + (size % 2)


def _records(iim: bytes):
    """Yield (record, dataset, value bytes) from IIM data."""
    pos = 0
    while pos + 5 <= len(iim) and iim[pos] == 0x1C:
        record, dataset = iim[pos + 1], iim[pos + 2]
        (size,) = struct.unpack_from(">H", iim, pos + 3)
        pos += 5
        if size & 0x8000:  # extended dataset: the low bits give the length of the length
            count = size & 0x7FFF
            if count > 4 or pos + count > len(iim):
                return
            size = int.from_bytes(iim[pos : pos + count], "big")
            pos += count
        yield record, dataset, iim[pos : pos + size]
        pos += size


def _decode(value: bytes, utf8: bool) -> str:
    if utf8:
        return value.decode("utf-8", "replace").strip()
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return value.decode("latin-1").strip()


def parse_iptc(block: bytes) -> dict[str, str | list[str]]:
    """Fields of IPTC record 2 found in ``block`` (keywords as a list, the rest as text)."""
    iim = b"".join(data for rid, data in _photoshop_resources(block) if rid == _IIM_RESOURCE)
    if not iim and block[:1] == b"\x1c":
        iim = block  # some writers hand over bare IIM data
    raw = list(_records(iim))
    utf8 = any(rec == 1 and ds == 90 and val.startswith(_UTF8_MARKER) for rec, ds, val in raw)
    fields: dict[str, str | list[str]] = {}
    for record, dataset, value in raw:
        name = DATASETS.get(dataset) if record == 2 else None
        if not name:
            continue
        text = _decode(value, utf8)
        if name == "keywords":
            fields.setdefault("keywords", []).append(text)  # type: ignore[union-attr]
        elif text:
            fields.setdefault(name, text)
    return fields
