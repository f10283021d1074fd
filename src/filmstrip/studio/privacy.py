"""What readers will be able to learn from an essay's photos, before it is published."""

from dataclasses import dataclass, field


@dataclass
class PrivacyReport:
    with_location: list[str] = field(default_factory=list)
    with_serials: list[str] = field(default_factory=list)
    location_shared: bool = False
    originals_offered: bool = False

    @property
    def clear(self) -> bool:
        return not (self.location_shared and self.with_location) and not (
            self.originals_offered and self.with_serials
        )


def privacy_report(story) -> PrivacyReport:
    """Which photos would reveal where they were taken, and which name their camera's serial.

    Renditions never carry either; only originals offered for download can, and location only
    when the author shares it.
    """
    report = PrivacyReport(
        location_shared=story.share_location and story.allow_downloads,
        originals_offered=story.allow_downloads,
    )
    for item in story.items.photos().select_related("photo", "photo__location"):
        photo = item.photo
        if hasattr(photo, "location"):
            report.with_location.append(photo.original_filename)
        if photo.has_serial_numbers:
            report.with_serials.append(photo.original_filename)
    return report
