"""What readers are told about an author: a name the author chose, never the login name."""

from django.conf import settings as django_settings
from django.db import models

from filmstrip.sitesettings.models import current


class Author(models.Model):
    """Public facts about a staff account; the account itself stays private."""

    user = models.OneToOneField(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="author",
    )
    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="The name readers see on essays, feeds and link previews.",
    )

    def __str__(self) -> str:
        return self.display_name or "(no display name)"


def chosen_name(user) -> str:
    """The display name this author chose; empty if none."""
    try:
        return user.author.display_name
    except Author.DoesNotExist:
        return ""


def display_name(user) -> str:
    """The name published for this author: the one they chose, else the site's author (its
    site settings), else their full name, else the site's title. Never the login name, which
    is half of what a password guesser needs."""
    site = current()
    if user is None:
        return site.author_name or site.site_title
    return chosen_name(user) or site.author_name or user.get_full_name() or site.site_title


def set_display_name(user, name: str) -> Author:
    """Raises ValidationError, saying why, for a name the field refuses (too long)."""
    author = Author.objects.filter(user=user).first() or Author(user=user)
    author.display_name = name.replace("\x00", "").strip()
    author.full_clean(exclude=["user"])
    author.save()
    return author
