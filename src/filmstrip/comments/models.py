"""The conversation under an essay: threaded comments from guests, moderated."""

import hashlib

from django.conf import settings
from django.db import models

from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story
from filmstrip.stories.richtext import render_comment


def same_commenter(user, email: str) -> models.Q:
    """Comments by the same person: the same account if signed in, else the same address."""
    if user is not None:
        return models.Q(user=user)
    return models.Q(author_email__iexact=email, user__isnull=True)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class ModerationStatus(models.TextChoices):
    """Where a comment or a link back stands with the author: the states and their names, for
    both (the admin's moderation desk serves both alike)."""

    PENDING = "pending", "awaiting moderation"
    APPROVED = "approved", "approved"
    SPAM = "spam", "spam"
    TRASH = "trash", "trash"


class Comment(models.Model):
    Status = ModerationStatus

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    photo = models.ForeignKey(
        Photo,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The photo of the essay this comment is about, if any.",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The signed-in account that wrote it; empty for a guest.",
    )
    author_via = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where a signed-in commenter's identity comes from (e.g. GitHub).",
    )
    author_name = models.CharField(max_length=100)
    # Never shown: for notifications and for the avatar's hash. A provider may not give one.
    author_email = models.EmailField(max_length=200, blank=True)
    author_url = models.URLField(max_length=200, blank=True)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    notify_replies = models.BooleanField(
        default=False, help_text="The commenter asked to be e-mailed about replies."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    moderation_reasons = models.JSONField(default=list, blank=True)
    # What the learning filter was taught about this comment ("spam", "ham" or not yet).
    trained_as = models.CharField(max_length=4, blank=True, editable=False)
    # Never shown: for rate limits and abuse reports.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["story", "status", "created_at"]),
            models.Index(fields=["ip_address", "created_at"]),
            models.Index(fields=["author_email", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.story}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        # Rendering takes time: callers that save inside a transaction render first, with
        # set_body, so that the database's write lock is not held meanwhile.
        fields = kwargs.get("update_fields")
        if getattr(self, "_rendered", None) != self.body and (fields is None or "body" in fields):
            self.set_body(self.body, render_comment(self.body))
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        if "body" in comment.__dict__ and "body_html" in comment.__dict__:
            comment._rendered = comment.body  # stored with its HTML: no need to render again
        return comment

    def set_body(self, body: str, html: str) -> None:
        """Take a new text with its HTML, rendered beforehand (see render_comment)."""
        self.body, self.body_html, self._rendered = body, html, body

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def by_author(self) -> bool:
        return self.user_id is not None and self.user_id == self.story.author_id

    @property
    def avatar_hue(self) -> int:
        """A colour derived from the e-mail address: a local avatar, no third party asked."""
        seed = self.author_email.strip().lower() or f"user-{self.user_id}"
        digest = hashlib.sha256(seed.encode()).digest()
        return digest[0] * 360 // 256

    @property
    def initial(self) -> str:
        return (self.author_name.strip()[:1] or "?").upper()


class TokenCount(models.Model):
    """How often the learning spam filter has seen a word in spam and in good comments."""

    token = models.CharField(max_length=64, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token}: {self.spam} spam, {self.ham} good"


class Totals(models.Model):
    """How many comments of each kind the filter has learnt from (a single row)."""

    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "totals"

    def __str__(self) -> str:
        return f"learnt from {self.spam} spam and {self.ham} good comments"
