"""A photo as uploaded (kept byte for byte) and the renditions published from it."""

import re
from dataclasses import dataclass, fields
from typing import Any

from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils import timezone
from django.utils.encoding import filepath_to_uri


def original_path(photo: "Photo", filename: str) -> str:
    """Originals live under originals/, which is never served: only renditions are public."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    return f"originals/{photo.checksum[:2]}/{photo.checksum}.{suffix}"


def shown_by_a_published_essay(path: str = "") -> models.Q:
    """Whether readers may see a photo (reached through ``path``): at least one published essay
    shows it. The one place that decides, for the rendition view and any later publisher.

    Essays decide what is published, so this asks them, through the relation their items hold
    to photos: stories imports photos, never the reverse (tests/test_layering.py).
    A join rather than nested subqueries: the rendition view asks it on every request.
    """
    item: Any = Photo._meta.get_field("story_items").related_model
    essay: Any = item._meta.get_field("story").related_model
    return models.Q(**{f"{path}story_items__story__in": essay.objects.published()})


class PhotoQuerySet(models.QuerySet):
    def unused(self):
        """Photos no essay shows: an essay's items are what keep a photo (see photos.removal)."""
        return self.filter(story_items__isnull=True)

    def public(self):
        return self.filter(shown_by_a_published_essay()).distinct()

    def of_rendition(self, name: str):
        """The photo the stored rendition ``name`` was made from, by the checksum it begins with;
        also for a rendition of an earlier ladder, whose file outlives its row."""
        from .naming import checksum_prefix  # not at import: naming loads the image pipeline

        prefix = checksum_prefix(name)
        if prefix is None:
            return self.none()
        # A range rather than startswith, which SQLite would answer without the index.
        return self.filter(checksum__gte=prefix, checksum__lt=prefix + "g")

    def previewable_by(self, user):
        """Photos ``user`` may see: public ones, and for staff or an essay's author its drafts."""
        if user.is_authenticated and user.is_staff:
            return self
        allowed = shown_by_a_published_essay()
        if user.is_authenticated:
            allowed |= models.Q(story_items__story__author=user)
        return self.filter(allowed).distinct()


class Photo(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "waiting to be processed"
        PROCESSING = "processing", "processing"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    original = models.FileField(upload_to=original_path, max_length=255)
    original_filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the original.")
    size_bytes = models.PositiveBigIntegerField()
    format = models.CharField(max_length=16)
    width = models.PositiveIntegerField(
        help_text="As displayed: after EXIF orientation and the author's rotation."
    )
    height = models.PositiveIntegerField()
    # An edit, never made to the original's bytes: the renditions are turned (photos.edits).
    rotation = models.PositiveSmallIntegerField(
        choices=[(0, "none"), (90, "90° clockwise"), (180, "180°"), (270, "90° anticlockwise")],
        default=0,
        help_text="The author's turn of the photo, after EXIF orientation, in degrees clockwise.",
    )
    captured_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True, help_text="Caption embedded in the file.")
    title = models.CharField(max_length=500, blank=True, help_text="Title embedded in the file.")
    embedded_alt_text = models.TextField(blank=True)
    # Rights, written into every rendition. Creator and copyright are read from the file.
    creator = models.CharField(max_length=500, blank=True)
    copyright = models.CharField(max_length=500, blank=True, help_text="Copyright notice.")
    credit = models.CharField(max_length=500, blank=True)
    licence_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="Licence of this photo; empty means FILMSTRIP_DEFAULT_LICENCE_URL.",
    )
    # Camera facts, for readers who are curious.
    camera_make = models.CharField(max_length=200, blank=True)
    camera_model = models.CharField(max_length=200, blank=True)
    lens = models.CharField(max_length=200, blank=True)
    focal_length = models.FloatField(null=True, blank=True, help_text="mm")
    f_number = models.FloatField(null=True, blank=True)
    exposure_time = models.CharField(max_length=20, blank=True, help_text='e.g. "1/400"')
    iso = models.PositiveIntegerField(null=True, blank=True)
    captured_offset = models.SmallIntegerField(
        null=True, blank=True, help_text="UTC offset in minutes the camera recorded, if any."
    )
    # What the original reveals, as ExifTool reads it (photos.originals.check).
    has_serial_numbers = models.BooleanField(
        default=False, help_text="The original names a camera or lens serial number."
    )
    records_location = models.BooleanField(
        default=False, help_text="The original says where it was taken (GPS or place names)."
    )
    withheld_reason = models.TextField(
        blank=True, help_text="Why its original is not offered for download, if it is not."
    )
    metadata_checked = models.BooleanField(
        default=False, help_text="Whether the three fields above were read with ExifTool."
    )
    placeholder_color = models.CharField(max_length=7, blank=True)
    placeholder_hash = models.CharField(
        max_length=64, blank=True, help_text="ThumbHash (base64): the preview shown before loading."
    )

    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["captured_at", "original_filename", "pk"]
        indexes = [models.Index(fields=["status", "status_changed_at"])]

    def __str__(self) -> str:
        return self.original_filename

    @property
    def aspect_ratio(self) -> float:
        return self.width / self.height if self.height else 1.0

    @property
    def file_caption(self) -> str:
        """The caption the file carries, if a person wrote it rather than a camera or program;
        also for a photo stored before the probe judged captions."""
        from filmstrip.imaging.captions import honest  # not at import: it loads libvips

        return honest(self.description)

    @property
    def file_alt_text(self) -> str:
        from filmstrip.imaging.captions import honest

        return honest(self.embedded_alt_text)

    def srcsets(self) -> dict[str, list["Rendition"]]:
        """Renditions grouped by format, narrowest first: those given by attach_renditions,
        else a prefetched ``renditions``. Shared by every caller: do not change it."""
        attached = self.__dict__.get("_shown_renditions")
        if attached is not None:
            return attached
        return _by_format(self.renditions.all())

    def rendition_within(
        self, max_width: int | None = None, max_height: int | None = None, fmt: str = "jpeg"
    ) -> "Rendition | None":
        """The widest rendition in ``fmt`` within the bounds (the narrowest if none fits)."""
        renditions = self.srcsets().get(fmt, [])
        fitting = [
            r
            for r in renditions
            if (not max_width or r.width <= max_width)
            and (not max_height or r.height <= max_height)
        ]
        chosen = fitting or renditions[:1]
        return chosen[-1] if chosen else None

    def largest(self, fmt: str = "jpeg") -> "Rendition | None":
        """The widest rendition in ``fmt`` (else in any format): what "view large" opens."""
        groups = self.srcsets()
        renditions = groups.get(fmt) or next(iter(groups.values()), [])
        return renditions[-1] if renditions else None

    def rights(self):
        from filmstrip.imaging import Rights
        from filmstrip.sitesettings.models import current

        return Rights(
            creator=self.creator,
            copyright=self.copyright,
            credit=self.credit,
            licence_url=self.licence_url or current().default_licence_url,
        )


def _by_format(renditions) -> dict[str, list]:
    groups: dict[str, list] = {}
    for rendition in sorted(renditions, key=lambda r: r.width):
        groups.setdefault(rendition.format, []).append(rendition)
    return groups


def attach_renditions(photos) -> None:
    """Give ``photos`` their renditions, read in one query, for a page to show (srcsets() and
    all built on it). Not model instances: an essay's thousand renditions cost prefetch_related
    more than the rest of its page."""
    photos = {photo.pk: photo for photo in photos}
    found: dict[int, list[ShownRendition]] = {pk: [] for pk in photos}
    ids = list(photos)
    # In batches within any SQLite's limit on parameters (a sitemap may list every photo).
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        rows = Rendition.objects.filter(photo_id__in=batch).values_list("photo_id", *_SHOWN)
        for photo_id, *values in rows:
            found[photo_id].append(ShownRendition(*values))
    for pk, photo in photos.items():
        photo.__dict__["_shown_renditions"] = _by_format(found[pk])


class PhotoLocation(models.Model):
    """Where a photo was taken. Kept apart from Photo and never rendered on a page."""

    photo = models.OneToOneField(Photo, on_delete=models.CASCADE, related_name="location")
    latitude = models.FloatField()
    longitude = models.FloatField()
    altitude = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.latitude:.5f}, {self.longitude:.5f}"


class RenditionQuerySet(models.QuerySet):
    def public(self):
        """Renditions anyone may fetch, and caches may keep for good."""
        return self.filter(shown_by_a_published_essay("photo__")).distinct()

    def previewable_by(self, user):
        return self.filter(photo__in=Photo.objects.previewable_by(user))


class Rendition(models.Model):
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    name = models.CharField(max_length=255, unique=True, help_text="Storage name.")
    size_bytes = models.PositiveIntegerField()

    objects = RenditionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "format", "width"], name="one_rendition_per_spec"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return stored_url(self.name)


@dataclass(frozen=True, slots=True)
class ShownRendition:
    """What a page reads of a Rendition (see attach_renditions)."""

    name: str
    format: str
    width: int
    height: int
    size_bytes: int

    @property
    def url(self) -> str:
        return stored_url(self.name)


_SHOWN = [field.name for field in fields(ShownRendition)]
_BATCH = 900


def stored_url(name: str) -> str:
    """``default_storage.url(name)``; on local disk by concatenation, since an essay page lists
    thousands of rendition URLs and urljoin cost more than the rest of a srcset. Equal for the
    names we store (no dot segments; filepath_to_uri quotes "?", "#" and ":", and leaves a
    name of only the characters below as it is)."""
    storage = storages["default"]
    if type(storage) is FileSystemStorage:
        path = name if _URI_SAFE(name) else filepath_to_uri(name)
        return storage.base_url + path.lstrip("/")
    return storage.url(name)


_URI_SAFE = re.compile(r"[A-Za-z0-9/_.~!*()'-]*").fullmatch
