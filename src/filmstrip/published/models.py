"""What the published site still owes: documents to rebuild, and files that could not be written."""

from django.db import models
from django.utils import timezone


class PendingRebuild(models.Model):
    """One thing to render again: ``all``, ``site`` (the pages every essay change touches),
    ``story:<id>`` or ``path:<url path>``. One row per target however often it is asked for;
    ``version`` grows with each request, so a rebuild that began before the latest one leaves
    the row for the next run."""

    target = models.CharField(max_length=1100, unique=True)
    version = models.PositiveIntegerField(default=1)
    requested_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.target


class WriteFailure(models.Model):
    """A published file that could not be written (a full disk): the old one is still served.
    Cleared when the file is next written; `filmstrip publish --check` lists them."""

    path = models.CharField(max_length=1100, unique=True, help_text="URL path of the document.")
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.path}: {self.error}"


class PendingPurge(models.Model):
    """A public address whose file changed, that the CDN (FILMSTRIP_PURGE_URL) has not yet been
    told of; kept until it has said it heard, so a CDN that was down hears it later."""

    path = models.CharField(max_length=1100, unique=True, help_text="URL path of the document.")
    asked_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.path


class LogEntry(models.Model):
    """A rebuild asked for, kept a day for every machine that follows the published site
    (follow.py): each reads the entries after its own cursor and rebuilds them on its disk."""

    target = models.CharField(max_length=1100)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"{self.pk} {self.target}"


class DocumentVersion(models.Model):
    """The bytes last published at a path (their SHA-256) and the time they first were: every
    machine gives its file that time, so a page has one ETag and Last-Modified on all of them."""

    path = models.CharField(max_length=1100, unique=True, help_text="URL path of the document.")
    digest = models.CharField(max_length=64)
    modified_ns = models.BigIntegerField()

    def __str__(self) -> str:
        return self.path
