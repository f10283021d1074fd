"""EXIF values as libvips reports them, turned back into plain Python values.

libvips exposes each tag as ``"RAW (FORMATTED, TYPE, N components, M bytes)"``; an ASCII raw value
may itself contain parentheses, so it is cut by length, not by searching for "(".
"""

import re
from datetime import datetime, timedelta, timezone

_SUFFIX = re.compile(r", (?P<type>[A-Za-z]+), \d+ components?, \d+ bytes?\)$")


def tag_value(text: str) -> str:
    """The raw value of a libvips EXIF string."""
    match = _SUFFIX.search(text)
    if not match:
        return text.strip()
    head = text[: match.start()]  # "RAW (FORMATTED"
    if match["type"] == "ASCII":
        # RAW and FORMATTED are the same text: head is RAW + " (" + RAW.
        return head[: (len(head) - 2) // 2].strip()
    return head.split(" (", 1)[0].strip()


_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_offset(text: str) -> timezone | None:
    match = _OFFSET.match(text.strip())
    if not match:
        return None
    sign = -1 if match[1] == "-" else 1
    minutes = int(match[2]) * 60 + int(match[3])
    if minutes > 18 * 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def parse_exif_datetime(text: str, offset: str = "") -> datetime | None:
    """'2022:03:31 11:31:56' (with an optional '+02:00' offset) as a datetime, else None.

    Cameras write all sorts of placeholders ('0000:00:00 00:00:00', blanks); those are None.
    """
    text = text.strip().rstrip("\x00")
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            value = datetime.strptime(text[:19], fmt)
            break
        except ValueError:
            continue
    else:
        return None
    tz = parse_offset(offset) if offset else None
    return value.replace(tzinfo=tz) if tz else value


def parse_iso_datetime(text: str) -> datetime | None:
    """An XMP/ISO 8601 date ('2022-01-10T15:15:44-04:00', '2014-04-13'), else None."""
    text = text.strip()
    if len(text) == 10:
        text += "T00:00:00"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_iptc_datetime(date: str, time: str = "") -> datetime | None:
    """IPTC 'CCYYMMDD' and 'HHMMSS±HHMM' as a datetime, else None."""
    try:
        value = datetime.strptime(date.strip()[:8], "%Y%m%d")
    except ValueError:
        return None
    time = time.strip()
    if len(time) >= 6 and time[:6].isdigit():
        try:
            value = value.replace(hour=int(time[:2]), minute=int(time[2:4]), second=int(time[4:6]))
        except ValueError:
            return None
        tz = parse_offset(time[6:]) if len(time) > 6 else None
        if tz:
            value = value.replace(tzinfo=tz)
    return value


def rationals(text: str) -> list[float]:
    """'43/1 28/1 281400000/100000000' as [43.0, 28.0, 2.814]; a zero denominator is skipped."""
    values = []
    for part in text.split():
        numerator, _, denominator = part.partition("/")
        try:
            top, bottom = float(numerator), float(denominator or 1)
        except ValueError:
            return []
        if bottom:
            values.append(top / bottom)
    return values


def rational(text: str) -> float | None:
    values = rationals(text)
    return values[0] if len(values) == 1 else None


def exposure_time(text: str) -> str:
    """An exposure as photographers write it: '1/400' or '2.5'."""
    seconds = rational(text)
    if not seconds or seconds <= 0:
        return ""
    if seconds < 1:
        return f"1/{round(1 / seconds)}"
    return f"{seconds:g}"


def coordinate(dms: str, ref: str) -> float | None:
    """Degrees, minutes, seconds and N/S/E/W as signed decimal degrees, else None."""
    parts = rationals(dms)
    if len(parts) != 3:
        return None
    value = parts[0] + parts[1] / 60 + parts[2] / 3600
    if ref.strip().upper() in ("S", "W"):
        value = -value
    return round(value, 7)
