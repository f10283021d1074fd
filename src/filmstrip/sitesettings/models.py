"""The author's settings for the whole site: one row, edited in the studio's Site settings page.

Until the author first saves a change there, the FILMSTRIP_* settings of the same meaning are
its values (``starting_values``), so nothing a reader sees changes on upgrading; from then on
the saved row wins and those settings are only where a new site starts from.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction

from filmstrip.conf import filmstrip_settings

MAX_BLOCKLIST_WORDS = 1000
MAX_BLOCKED_WORD = 100


def check_blocklist(text: str) -> None:
    words = blocklist_words(text)
    if len(words) > MAX_BLOCKLIST_WORDS:
        raise ValidationError(f"At most {MAX_BLOCKLIST_WORDS:,} words or phrases, one a line.")
    long = next((word for word in words if len(word) > MAX_BLOCKED_WORD), None)
    if long:
        raise ValidationError(
            f"“{long[:30]}…” is longer than {MAX_BLOCKED_WORD} characters: one word or "
            "phrase a line."
        )


def blocklist_words(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SiteSettings(models.Model):
    site_title = models.CharField(
        "site title",
        max_length=200,
        error_messages={"blank": "The site needs a title."},
        help_text="Shown in the header of every page, in titles, feeds and link previews.",
    )
    tagline = models.CharField(
        "tagline", max_length=200, blank=True, help_text="A line beside the title; empty: none."
    )
    author_name = models.CharField(
        "author's name",
        max_length=100,
        blank=True,
        help_text="Whose site this is: named in the footer of every page (its h-card) and on "
        "essays whose author chose no name of their own.",
    )
    author_bio = models.TextField(
        "author's short bio",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text="A sentence or two about the author, beside their name in the footer.",
    )
    default_licence = models.TextField(
        "default licence",
        blank=True,
        validators=[MaxLengthValidator(5000)],
        help_text="Markdown. The licence a new essay starts with; each essay may change it.",
    )
    default_licence_url = models.URLField(
        "default licence URL",
        max_length=300,
        blank=True,
        help_text="Where that licence's terms are published: linked from essays and written "
        "into new renditions of photos that name none of their own.",
    )
    hold_first_comments = models.BooleanField(
        "hold first comments", help_text="A commenter's first comment waits for approval."
    )
    comment_max_links = models.PositiveSmallIntegerField(
        "links allowed in a comment",
        validators=[MaxValueValidator(100)],
        error_messages={"invalid": "Write a whole number of links."},
        help_text="A comment with more links than this waits for approval.",
    )
    comment_blocklist = models.TextField(
        "blocklist",
        blank=True,
        validators=[check_blocklist],
        help_text="Words or phrases, one a line: a comment containing one waits for approval.",
    )
    close_comments_after_days = models.PositiveIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
        error_messages={"invalid": "Write a whole number of days, or leave it empty."},
        help_text="Comments close this many days after an essay is published; empty: never.",
    )
    require_signin = models.BooleanField(
        "require sign-in",
        help_text="Only readers signed in with an account elsewhere may comment; no guests.",
    )
    show_photo_details = models.BooleanField(
        "show photo details", help_text="New essays show each photo's camera, lens and exposure."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_site_settings")]

    def __str__(self) -> str:
        return "Site settings"

    def blocklist(self) -> list[str]:
        return blocklist_words(self.comment_blocklist)


# What the author may change, and which of it readers see on the published pages.
EDITABLE = (
    "site_title",
    "tagline",
    "author_name",
    "author_bio",
    "default_licence",
    "default_licence_url",
    "hold_first_comments",
    "comment_max_links",
    "comment_blocklist",
    "close_comments_after_days",
    "require_signin",
    "show_photo_details",
)
PUBLIC = frozenset(
    {
        "site_title",
        "tagline",
        "author_name",
        "author_bio",
        "default_licence_url",
        "close_comments_after_days",  # the reply form shows or says "closed"
        "require_signin",  # the reply form asks for a name or for signing in
    }
)


def starting_values() -> dict:
    """The values before the author saves any: today's FILMSTRIP_* filmstrip_settings."""
    return {
        "site_title": filmstrip_settings.SITE_TITLE,
        "tagline": "",
        "author_name": "",
        "author_bio": "",
        "default_licence": filmstrip_settings.DEFAULT_LICENCE,
        "default_licence_url": filmstrip_settings.DEFAULT_LICENCE_URL,
        "hold_first_comments": filmstrip_settings.COMMENTS_HOLD_FIRST,
        "comment_max_links": filmstrip_settings.COMMENTS_MAX_LINKS,
        "comment_blocklist": "\n".join(filmstrip_settings.COMMENTS_BLOCKLIST),
        "close_comments_after_days": filmstrip_settings.COMMENTS_CLOSE_AFTER_DAYS,
        "require_signin": filmstrip_settings.COMMENTS_REQUIRE_SIGNIN,
        "show_photo_details": False,  # as essays have started so far
    }


# Read once per request (see middleware.py): a page asks for the settings once per photo.
_request_cache: ContextVar[dict | None] = ContextVar("filmstrip_site_settings", default=None)


@contextmanager
def read_once():
    """Within the block (a request), ``current()`` reads the database once."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def current() -> SiteSettings:
    """The site settings as saved, else their starting values (not saved)."""
    cache = _request_cache.get()
    if cache is not None and "row" in cache:
        return cache["row"]
    row = SiteSettings.objects.filter(pk=1).first() or SiteSettings(pk=1, **starting_values())
    if cache is not None:
        cache["row"] = row
    return row


@dataclass(frozen=True)
class Update:
    changed: list[str]

    @property
    def public(self) -> bool:
        """Readers see the change: the published site must be rebuilt."""
        return bool(PUBLIC.intersection(self.changed))


def update(data: dict, *, then: Callable[[], None] | None = None) -> Update:
    """Save the settings named in ``data`` (JSON values: text, numbers, true/false), all or
    none: raises ValidationError with the reasons by field name. ``then`` is called in the
    same transaction when readers will see a change (it asks for the rebuild)."""
    with transaction.atomic():
        row, _ = SiteSettings.objects.select_for_update().get_or_create(
            pk=1, defaults=starting_values()
        )
        changed, errors = [], {}
        for name, value in data.items():
            try:
                cleaned = _clean(row, name, value)
            except ValidationError as error:
                errors[name] = error.messages
                continue
            if cleaned != getattr(row, name):
                setattr(row, name, cleaned)
                changed.append(name)
        if errors:
            raise ValidationError(errors)
        if changed:
            row.save(update_fields=[*changed, "updated_at"])
        result = Update(changed)
        if then and result.public:
            then()
    cache = _request_cache.get()
    if cache is not None:
        cache["row"] = row
    return result


def _clean(row: SiteSettings, name: str, value):
    if name not in EDITABLE:
        raise ValidationError("There is no such site setting.")
    field = row._meta.get_field(name)
    if not isinstance(field, models.Field):  # a relation: none is editable
        raise ValidationError("There is no such site setting.")
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value
    if isinstance(field, models.IntegerField):
        if value in ("", None) and field.null:
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError(field.error_messages["invalid"])
        value = value.strip() if isinstance(value, str) else value
    elif not isinstance(value, str):
        raise ValidationError("Must be text.")
    else:
        value = value.replace("\x00", "")  # PostgreSQL refuses NUL in text
        value = value.strip() if isinstance(field, models.CharField) else value.rstrip()
    return field.clean(value, row)
