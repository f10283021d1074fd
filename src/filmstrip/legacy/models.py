"""An address the site had before it moved here, and what now stands there."""

from django.db import models
from django.utils import timezone

from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story, Tag

from .paths import MAX_LENGTH


class OldAddress(models.Model):
    """A reader following ``path`` is sent on (301) to what it leads to. Targets are rows, not
    addresses, so an essay renamed since still gets its readers; a target deleted since leaves
    the row empty, and the address answers 410 Gone."""

    class Leads(models.TextChoices):
        ESSAY = "essay", "the essay"
        PHOTO = "photo", "the photo's page in the essay"
        FILE = "file", "the photo's largest rendition"
        TAG = "tag", "the tag's page"
        FEED = "feed", "the tag's feed, else the site's"

    path = models.CharField(max_length=MAX_LENGTH, unique=True, help_text="See legacy/paths.py.")
    leads_to = models.CharField(max_length=8, choices=Leads)
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    photo = models.ForeignKey(
        Photo, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    remembered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self) -> str:
        return f"{self.path} → {self.get_leads_to_display()}"
