"""Removing where a photo was taken from a JPEG, without re-encoding a single pixel.

The GPS IFD inside the EXIF block is emptied in place (its entries and the values they point
at are zeroed, so every other offset stays valid) and an XMP packet that mentions GPS is
dropped. Segments that can hide a location elsewhere (makers' own blocks such as FLIR's, extra
images of an MPO, trailers after the image) are dropped too; the segments that decide how the
photo looks or whose it is (JFIF, EXIF, ICC profile, IPTC, Adobe) are kept byte for byte, and
so is the compressed image itself.
"""

import struct

_SOI = b"\xff\xd8"
_GPS_POINTER = 0x8825
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_EOI = b"\xff\xd9"


class UnsupportedFile(ValueError):
    pass


def _segments(data: bytes):
    """Yield (marker, start, end) of each segment before the image data."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            return
        (length,) = struct.unpack_from(">H", data, pos + 2)
        yield marker, pos, pos + 2 + length
        pos += 2 + length


def _entries(exif: bytearray, at: int, order: str):
    """Yield (entry offset, tag, type, count, value) for each entry of the IFD at ``at``."""
    if at + 2 > len(exif):
        return
    (count,) = struct.unpack_from(order + "H", exif, at)
    for i in range(count):
        entry = at + 2 + 12 * i
        if entry + 12 > len(exif):
            return
        yield (entry, *struct.unpack_from(order + "HHII", exif, entry))


def _blank_gps(exif: bytearray, base: int) -> None:
    """Empty the GPS IFD of the TIFF structure starting at ``exif[base:]``, in place."""
    order = {b"II": "<", b"MM": ">"}.get(bytes(exif[base : base + 2]))
    if order is None:
        return
    (ifd0,) = struct.unpack_from(order + "I", exif, base + 4)
    for _, tag, _, _, value in list(_entries(exif, base + ifd0, order)):
        if tag != _GPS_POINTER:
            continue
        gps = base + value
        for entry, _, kind, n, offset in list(_entries(exif, gps, order)):
            size = _TYPE_SIZES.get(kind, 1) * n
            if size > 4 and base + offset + size <= len(exif):
                exif[base + offset : base + offset + size] = bytes(size)
            exif[entry : entry + 12] = bytes(12)
        if gps + 2 <= len(exif):
            struct.pack_into(order + "H", exif, gps, 0)


def without_location(data: bytes) -> bytes:
    """The JPEG ``data`` with its GPS removed; raises UnsupportedFile for anything else."""
    if not data.startswith(_SOI):
        raise UnsupportedFile("only JPEG originals can have their location removed in place")
    out = bytearray(data[:2])
    end = 2
    for marker, start, end in _segments(data):
        segment = bytearray(data[start:end])
        if _keep(marker, segment):
            if marker == 0xE1 and segment[4:].startswith(b"Exif\x00\x00"):
                _blank_gps(segment, 4 + 6)
            out += segment
    # Entropy-coded data never contains FF D9 (0xFF is stuffed or a restart marker), so the
    # first one after the scan starts ends this image; whatever follows is not the photo.
    eoi = data.find(_EOI, end)
    out += data[end : eoi + 2] if eoi >= 0 else data[end:]
    return bytes(out)


def _keep(marker: int, segment: bytes) -> bool:
    body = bytes(segment[4:])
    if not 0xE0 <= marker <= 0xEF:
        return True  # tables, frame headers, comments: the image itself
    if marker == 0xE0:
        return body.startswith(b"JFIF\x00")
    if marker == 0xE1:
        return body.startswith(b"Exif\x00\x00") or (body.startswith(_XMP) and b"GPS" not in body)
    if marker == 0xE2:
        return body.startswith(b"ICC_PROFILE\x00")
    return marker in (0xED, 0xEE)  # IPTC (APP13) and Adobe colour transform (APP14)
