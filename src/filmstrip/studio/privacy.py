"""What readers will be able to learn from an essay's photos, before it is published."""

from dataclasses import dataclass, field

from filmstrip.photos.originals import ensure_checked

from .models import uploaded_as


@dataclass
class PrivacyReport:
    with_location: list[str] = field(default_factory=list)
    with_serials: list[str] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    location_shared: bool = False
    originals_offered: bool = False

    @property
    def clear(self) -> bool:
        return not (self.location_shared and self.with_location)


def privacy_report(story) -> PrivacyReport:
    """Which photos record where they were taken or name a serial number, and which originals
    cannot be offered for download, with the reason.

    Renditions never carry either. Downloaded originals never carry serials, and carry the
    location only when the author shares it; an original that cannot be made so is not offered.
    """
    report = PrivacyReport(
        location_shared=story.share_location and story.allow_downloads,
        originals_offered=story.allow_downloads,
    )
    items = story.items.photos().select_related("photo", "photo__location", "uploaded_name")
    for item in items:
        photo, name = item.photo, uploaded_as(item)
        ensure_checked(photo)
        if photo.records_location or hasattr(photo, "location"):
            report.with_location.append(name)
        if photo.has_serial_numbers:
            report.with_serials.append(name)
        if story.allow_downloads and photo.withheld_reason:
            report.withheld.append((name, photo.withheld_reason))
    return report
