"""The link-back ledger: pages elsewhere that link to an essay, and the notices we sent out."""

import hashlib
from urllib.parse import urlsplit

from django.db import models

from filmstrip.columns import clip
from filmstrip.comments.models import ModerationStatus
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story


def url_key(*urls: str) -> str:
    """A fixed-length key for one or two URLs (too long to index as they are)."""
    return hashlib.sha256("\n".join(urls).encode()).hexdigest()


class BacklinkQuerySet(models.QuerySet):
    def shown(self):
        """What readers see: approved by the author (or the policy) and still linking here."""
        return self.filter(status=Backlink.Status.APPROVED, verification=Backlink.Check.VERIFIED)

    def pending(self):
        return self.filter(status=Backlink.Status.PENDING)


class Backlink(models.Model):
    """A Webmention or Pingback received: ``source`` says it links to ``target``, one of ours."""

    class Kind(models.TextChoices):
        WEBMENTION = "webmention", "Webmention"
        PINGBACK = "pingback", "Pingback"

    Status = ModerationStatus

    class Check(models.TextChoices):
        QUEUED = "queued", "waiting to be checked"
        VERIFIED = "verified", "links here"
        REJECTED = "rejected", "does not link here"
        DELETED = "deleted", "source deleted"
        FAILED = "failed", "could not be fetched"

    kind = models.CharField(max_length=10, choices=Kind)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="backlinks")
    photo = models.ForeignKey(
        Photo,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backlinks",
        help_text="The photo of the essay the source links to, if it links to one.",
    )
    source = models.URLField(max_length=2000)
    target = models.URLField(max_length=2000)
    source_host = models.CharField(max_length=253, db_index=True, editable=False)
    pair_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    verification = models.CharField(max_length=10, choices=Check, default=Check.QUEUED)
    verification_note = models.CharField(max_length=300, blank=True)
    # From the source's h-entry (or its <title>), as plain text; never trusted as markup.
    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    author_url = models.URLField(max_length=2000, blank=True)
    excerpt = models.TextField(blank=True)
    # Never shown: for abuse reports.
    sender_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    received_at = models.DateTimeField(help_text="When it was last sent to us.")
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = BacklinkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "link back"
        verbose_name_plural = "links back"
        indexes = [models.Index(fields=["story", "status", "verification"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def save(self, *args, **kwargs):
        self.source_host = clip(Backlink, "source_host", urlsplit(self.source).hostname or "")
        self.pair_key = url_key(self.source, self.target)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "source_host", "pair_key"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """How the link is named on the page: its title, else the site's name."""
        return self.title or self.source_host

    @property
    def as_shown(self) -> tuple | None:
        """What readers see of it under the essay, or None if they do not see it (see shown)."""
        if self.status != self.Status.APPROVED or self.verification != self.Check.VERIFIED:
            return None
        return (self.story_id, self.photo_id, self.title, self.author_name, self.author_url,
                self.excerpt)  # fmt: skip


class SentMention(models.Model):
    """A Webmention or Pingback we sent for an essay to a page it links to (one per page)."""

    class Protocol(models.TextChoices):
        WEBMENTION = "webmention", "Webmention"
        PINGBACK = "pingback", "Pingback"
        NONE = "", "none found"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="sent_mentions")
    target = models.URLField(max_length=2000)
    target_key = models.CharField(max_length=64, editable=False)
    protocol = models.CharField(max_length=10, choices=Protocol, blank=True)
    endpoint = models.URLField(max_length=2000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(max_length=300, blank=True)
    content_digest = models.CharField(
        max_length=64, help_text="The essay's content when sent; a change means sending again."
    )
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = "sent notice"
        constraints = [
            models.UniqueConstraint(fields=["story", "target_key"], name="one_notice_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.story} → {self.target}: {self.result}"

    def save(self, *args, **kwargs):
        self.target_key = url_key(self.target)
        super().save(*args, **kwargs)
