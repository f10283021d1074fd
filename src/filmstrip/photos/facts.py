"""A photo's camera facts as readers see them: "ƒ/2.8", "1/400 s", "35 mm"."""

from datetime import timedelta, timezone

from django.utils import timezone as django_timezone
from django.utils.dateformat import format as date_format


def camera_name(make: str, model: str) -> str:
    """ "Canon" + "Canon EOS R5" reads as "Canon EOS R5", not "Canon Canon EOS R5"."""
    make, model = make.strip(), model.strip()
    if not make or model.lower().startswith(make.split()[0].lower()):
        return model or make
    return f"{make} {model}".strip()


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def taken_at(photo) -> str:
    """Capture time in the camera's own time zone when it recorded one."""
    if photo.captured_at is None:
        return ""
    if photo.captured_offset is None:
        return date_format(django_timezone.localtime(photo.captured_at), "F j, Y, H:i")
    zone = timezone(timedelta(minutes=photo.captured_offset))
    local = photo.captured_at.astimezone(zone)
    offset = local.strftime("%z")  # "+0200"
    return f"{date_format(local, 'F j, Y, H:i')} (UTC{offset[:3]}:{offset[3:]})"


def photo_facts(photo) -> list[tuple[str, str]]:
    """(label, value) pairs for what the file tells; only those it tells."""
    facts = [
        ("Camera", camera_name(photo.camera_make, photo.camera_model)),
        ("Lens", photo.lens),
        ("Focal length", f"{_number(photo.focal_length)} mm" if photo.focal_length else ""),
        ("Aperture", f"ƒ/{_number(photo.f_number)}" if photo.f_number else ""),
        ("Shutter", f"{photo.exposure_time} s" if photo.exposure_time else ""),
        ("ISO", str(photo.iso) if photo.iso else ""),
        ("Taken", taken_at(photo)),
    ]
    return [(label, value) for label, value in facts if value]
