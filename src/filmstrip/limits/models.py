"""Counted events behind the rate limits, kept in the database so that every web process and
the worker share one count."""

from django.db import models
from django.utils import timezone


class HitQuerySet(models.QuerySet):
    def within(self, key: str, since):
        return self.filter(key=key, at__gte=since)

    def expired(self):
        return self.filter(expires__lt=timezone.now())


class Hit(models.Model):
    """One event a limit counts: an edit, a notice received, an e-mail sent, a form used."""

    key = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(db_index=True, help_text="When no limit counts it any more.")

    objects = HitQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self) -> str:
        return f"{self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
