"""What an import remembers of where things came from, so that running it again adds no copies,
updates what changed at the source, leaves alone what the author changed here, and fills in the
photos that were missing the first time."""

from django.db import models

from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment
from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story


class ImportedPost(models.Model):
    """A WordPress post or page, by site and post id, and the essay made from it. ``story``
    is empty once the author deletes the essay: a later run does not bring it back."""

    site = models.CharField(max_length=300, help_text="The blog's address, without scheme.")
    post_id = models.PositiveBigIntegerField()
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post_type = models.CharField(max_length=20, default="post")
    # The version imported: a newer export with a later time has changed the post.
    modified_gmt = models.DateTimeField(null=True, blank=True)
    # The essay as the import left it (see importer.fingerprint): anything else means the
    # author edited it here since.
    fingerprint = models.CharField(max_length=64)
    # Kept from WordPress though no page shows it (yet): the post's excerpt.
    excerpt = models.TextField(blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "post_id"], name="one_essay_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.site} post {self.post_id}"


class ImportedAttachment(models.Model):
    """A WordPress media-library entry that became a photo."""

    site = models.CharField(max_length=300)
    attachment_id = models.PositiveBigIntegerField()
    photo = models.ForeignKey(
        Photo, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "attachment_id"], name="one_photo_per_attachment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} attachment {self.attachment_id}"


class ImportedComment(models.Model):
    """A WordPress comment, pingback or trackback taken in (as a comment or a link back). Once
    the author deletes what it became, a later run does not bring it back."""

    site = models.CharField(max_length=300)
    wordpress_id = models.PositiveBigIntegerField(help_text="The comment's id in WordPress.")
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    backlink = models.ForeignKey(
        Backlink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "wordpress_id"], name="one_row_per_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.site} comment {self.wordpress_id}"


class MissingMedia(models.Model):
    """A photo of an imported post whose file was not found: its place in the essay is kept
    (``position``, among the items' positions) until a later run brings the file."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="missing_media")
    position = models.PositiveIntegerField()
    attachment_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=2000, blank=True)
    caption = models.TextField(blank=True)
    alt_text = models.TextField(blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["story", "position"]
        verbose_name_plural = "missing media"

    def __str__(self) -> str:
        return f"{self.url or self.attachment_id} in {self.story}"

    @property
    def name(self) -> str:
        """How the report names it: the file's name, else the attachment's id."""
        return self.url.rstrip("/").rsplit("/", 1)[-1] or f"attachment {self.attachment_id}"
