"""What the published site still owes: documents to rebuild, and files that could not be written."""

from django.db import models


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
