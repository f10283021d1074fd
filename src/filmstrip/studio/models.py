"""Uploads in progress: a file arrives in chunks, so a dropped connection resumes, not restarts."""

import uuid

from django.conf import settings
from django.db import models

from filmstrip.stories.models import Story


class Upload(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    # The item the author dropped the file before, by number: gone by the time the file is in,
    # the photo goes at the end. None: where its capture time puts it (stories.assembly).
    before = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename}: {self.received} of {self.size} bytes"

    @property
    def complete(self) -> bool:
        return self.received >= self.size


class Chunk(models.Model):
    """Bytes of an upload in progress, kept in the database rather than on the disk of the web
    machine that received them: the next chunk may reach any machine, and a chunk counts only
    if its row and the upload's new offset commit together (studio.uploads.receive)."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="chunks")
    offset = models.PositiveBigIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["upload", "offset"], name="one_chunk_per_offset")
        ]

    def __str__(self) -> str:
        return f"{self.upload_id} at {self.offset}"


class UploadedName(models.Model):
    """The name an author's file had, for a photo the site already stored under another name
    (the same bytes in another essay): each essay's studio shows the name its author gave."""

    item = models.OneToOneField(
        "stories.StoryItem", on_delete=models.CASCADE, related_name="uploaded_name"
    )
    filename = models.CharField(max_length=255)

    def __str__(self) -> str:
        return self.filename


class Dropped(models.Model):
    """A photo the author dropped before an item, remembered for the files dropped with it that
    are still on their way: each goes before those started after it, so that files finishing in
    any order keep the order they were sent in (studio.uploads.finish)."""

    item = models.OneToOneField(
        "stories.StoryItem", on_delete=models.CASCADE, related_name="dropped"
    )
    before = models.PositiveBigIntegerField()
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.item_id} before {self.before}"


def uploaded_as(item) -> str:
    """The name this essay's author gave the file: the photo's own, unless another essay stored
    it first under another name. Callers listing many select_related("uploaded_name")."""
    try:
        return item.uploaded_name.filename
    except UploadedName.DoesNotExist:
        return item.photo.original_filename if item.photo else ""
