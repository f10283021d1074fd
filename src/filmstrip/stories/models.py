"""An essay (Story) and its ordered items: photos with caption and alt text, and text passages."""

import re
from datetime import timedelta

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from filmstrip.columns import clip, width
from filmstrip.photos.models import Photo
from filmstrip.photos.originals import downloadable
from filmstrip.sitesettings.models import current

from .richtext import render_inline, render_markdown


# A new essay starts as the author's site settings say.
def default_licence() -> str:
    return current().default_licence


def default_show_photo_details() -> bool:
    return current().show_photo_details


# First path segments the site itself uses: an essay may not take one as its slug.
RESERVED_SLUGS = {
    "admin", "accounts", "comments", "studio", "media", "static", "tags", "feed", "feeds", "oembed",
    "sitemap.xml", "robots.txt", "webmention", "xmlrpc",
}  # fmt: skip


def not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"“{slug}” is an address the site uses itself; choose another.")


class Tag(models.Model):
    """A subject shared by essays: its own page and feeds."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            slug = clip(Tag, "slug", slugify(self.name, allow_unicode=True))
            self.slug = slug or f"tag-{Tag.objects.count()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("stories:tag", kwargs={"slug": self.slug})


class Mood(models.TextChoices):
    """An essay's background."""

    PAPER = "paper", "paper"
    GALLERY = "gallery", "dark gallery"


class Layout(models.TextChoices):
    """How wide a photo, or a group of photos, is drawn: the reading column, the page's widest
    figure, or the window's whole width."""

    TEXT = "text", "text width"
    WIDE = "wide", "wide"
    FULL = "full", "full-bleed"


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_cover(self):
        return self.select_related("cover").prefetch_related("cover__renditions")


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"

    Mood = Mood

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, allow_unicode=True, validators=[not_reserved]
    )
    author = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stories",
        null=True,
        blank=True,
    )
    intro = models.TextField(blank=True, help_text="Markdown: links, emphasis, paragraphs.")
    intro_html = models.TextField(blank=True, editable=False)
    licence = models.TextField(
        blank=True,
        default=default_licence,
        help_text="Markdown. The terms on which readers may re-use the photos.",
    )
    licence_html = models.TextField(blank=True, editable=False)
    licence_url = models.URLField(
        blank=True,
        max_length=300,
        help_text="Where the licence's terms are published (e.g. a Creative Commons deed); "
        "linked with rel=license. Empty: the licence text at the end of the essay.",
    )
    cover = models.ForeignKey(
        Photo,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Shown on the home page (the folder importer picks the first photo).",
    )
    comments_open = models.BooleanField(
        default=True,
        help_text="Readers may comment (comments also close as the site settings say).",
    )
    allow_downloads = models.BooleanField(
        default=False,
        help_text="Readers may download the original files (choose a licence that allows it).",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="stories")
    show_photo_details = models.BooleanField(
        default=default_show_photo_details,
        help_text="Show each photo's camera, lens and exposure in the lightbox and on its page.",
    )
    share_location = models.BooleanField(
        default=False,
        help_text="Published originals keep where each photo was taken (GPS). Off by default.",
    )
    change_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional, shown beside “Updated”: what changed, e.g. “Added 12 photos from "
        "the finish line”.",
    )
    excerpt = models.TextField(
        blank=True,
        help_text="Optional: a sentence or two on what the essay is, for search results, link "
        "previews and feeds. Empty: the intro's first words.",
    )
    cover_header = models.BooleanField(
        default=False, help_text="Open the essay with its title set over the cover photo."
    )
    mood = models.CharField(
        max_length=8,
        choices=Mood,
        default=Mood.PAPER,
        help_text="The essay's background: the site's paper, or a dark gallery wall.",
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the published essay last changed; shown as “Updated …”.",
    )
    import_source = models.CharField(
        max_length=500,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Where an importer made this essay from, so that re-running it adds no copies.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "essay"
        verbose_name_plural = "essays"
        constraints = [
            models.CheckConstraint(condition=models.Q(mood__in=Mood.values), name="mood_known")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.title, exclude_pk=self.pk)
        self.intro_html = render_markdown(self.intro)
        self.licence_html = render_markdown(self.licence)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "intro_html", "licence_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("stories:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def publication_state(self) -> str:
        """ "draft", "scheduled" (published for a moment still to come) or "published"."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "published" if self.is_published else "scheduled"

    @property
    def shows_updated(self) -> bool:
        """True when the essay changed on a later day than it was published."""
        return bool(
            self.published_at
            and self.updated_at
            and timezone.localdate(self.updated_at) > timezone.localdate(self.published_at)
        )

    @property
    def is_withdrawn(self) -> bool:
        """Once public, now unpublished: its address answers 410 Gone rather than 404."""
        return (
            self.status == self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def cover_item(self, photo_items, photo_id=lambda item: item.photo_id):
        """The photo that stands for the essay (link previews, embeds, feeds): of its
        ``photo_items`` in order, the one showing its cover, else the first; None without any.
        ``photo_id`` reads an item's photo id (feeds pass dicts)."""
        chosen = next((i for i in photo_items if photo_id(i) == self.cover_id), None)
        return chosen if chosen is not None else next(iter(photo_items), None)

    def keep_cover(self) -> None:
        """After photos leave the essay: a cover no longer among them gives way to the first
        photo left, or to none."""
        if self.cover_id and not self.items.filter(photo_id=self.cover_id).exists():
            first = self.items.photos().first()
            self.cover_id = first.photo_id if first else None
            self.save(update_fields=["cover", "modified_at"])

    def offers_original(self, photo: Photo) -> bool:
        """Whether readers may download ``photo``'s original from this essay: only if a copy
        without serials (and location, unless shared) can be made (filmstrip.photos.originals).
        """
        return self.allow_downloads and downloadable(photo)

    def accepts_comments(self, now=None) -> bool:
        """Open to new comments: published, not closed by the author, not past the age limit."""
        if not (self.comments_open and self.is_published):
            return False
        days = current().close_comments_after_days
        if days is None or self.published_at is None:  # a published essay has its moment
            return True
        return (now or timezone.now()) < self.published_at + timedelta(days=days)

    def can_be_previewed_by(self, user) -> bool:
        return bool(user.is_authenticated and (user.is_staff or user.pk == self.author_id))

    def next_position(self) -> int:
        last = self.items.aggregate(models.Max("position"))["position__max"]
        return 0 if last is None else last + 1


def unique_slug(title: str, exclude_pk=None) -> str:
    room = width(Story, "slug") - 20  # for the "-2" that tells it from an older essay's
    base = slugify(title, allow_unicode=True)[:room] or "essay"
    slug, n = base, 2
    taken = Story.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class OldSlug(models.Model):
    """An address an essay was published at and is not any more: readers who follow an old
    link are sent on (301) while the essay is public, else told it is gone (410).
    ``story`` is empty once the essay is deleted."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="old_slugs"
    )
    retired_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.slug


class StoryItemQuerySet(models.QuerySet):
    def for_page(self):
        return self.select_related("photo").prefetch_related("photo__renditions")

    def photos(self):
        return self.filter(kind=StoryItem.Kind.PHOTO)

    def missing_alt_text(self):
        return self.filter(missing_alt_text())


# Alt text of nothing but white space tells a reader nothing: it is missing. The one rule, asked
# of a row (StoryItem.lacks_alt_text) and of the database (missing_alt_text) alike. White space
# as the studio's script trims it, spelt out: Python's \s and PostgreSQL's differ on Unicode.
_BLANK = re.compile(r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*")


def missing_alt_text(path: str = "") -> models.Q:
    """Photo items (reached through ``path``, e.g. ``"items__"``) that lack alt text."""
    blank = rf"^{_BLANK.pattern}$"
    return models.Q(**{f"{path}kind": StoryItem.Kind.PHOTO, f"{path}alt_text__regex": blank})


class StoryItem(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", "photo"
        TEXT = "text", "text passage"

    Layout = Layout

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.PHOTO)
    photo = models.ForeignKey(
        Photo, on_delete=models.PROTECT, null=True, blank=True, related_name="story_items"
    )
    caption = models.TextField(blank=True, help_text="Markdown, one paragraph.")
    caption_html = models.TextField(blank=True, editable=False)
    alt_text = models.TextField(
        blank=True, help_text="What the photo shows, for readers who cannot see it."
    )
    licence_url = models.URLField(
        blank=True,
        max_length=300,
        help_text="This photo's licence in this essay, when it is not the essay's.",
    )
    body = models.TextField(blank=True, help_text="Markdown text passage.")
    body_html = models.TextField(blank=True, editable=False)
    # How a photo is drawn. A group (stories.grouping) is drawn as its first photo's layout.
    layout = models.CharField(max_length=8, choices=Layout, default=Layout.WIDE)
    group_with_next = models.BooleanField(
        default=False, help_text="Set beside the next photo, in one row of 2 to 4 photos."
    )
    group_caption = models.TextField(
        blank=True,
        help_text="On a group's first photo: a caption the whole group shares (Markdown, one "
        "paragraph).",
    )
    group_caption_html = models.TextField(blank=True, editable=False)

    objects = StoryItemQuerySet.as_manager()

    MARKDOWN = frozenset({"caption", "group_caption", "body"})  # each rendered into NAME_html

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "photo"],
                condition=models.Q(photo__isnull=False),
                name="photo_once_per_story",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="photo", photo__isnull=False)
                    | models.Q(kind="text", photo__isnull=True)
                ),
                name="item_kind_matches_content",
            ),
            # An unknown layout never reaches a page, whoever writes the row.
            models.CheckConstraint(
                condition=models.Q(layout__in=Layout.values), name="item_layout_known"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.TEXT:
            return f"Text: {self.body[:40]}"
        return f"Photo: {self.photo}"

    def save(self, *args, **kwargs):
        self.caption_html = render_inline(self.caption)
        self.group_caption_html = render_inline(self.group_caption)
        self.body_html = render_markdown(self.body)
        # A save of some fields writes the HTML of those only: another request may have just
        # changed the rest, and this row's copy of them is older.
        if kwargs.get("update_fields") is not None:
            named = set(kwargs["update_fields"])
            kwargs["update_fields"] = named | {f"{name}_html" for name in named & self.MARKDOWN}
        super().save(*args, **kwargs)

    @property
    def lacks_alt_text(self) -> bool:
        """A photo without alt text (see missing_alt_text)."""
        return self.kind == self.Kind.PHOTO and _BLANK.fullmatch(self.alt_text) is not None

    @property
    def anchor(self) -> str:
        """The fragment that addresses this item on the essay page."""
        return f"photo-{self.photo_id}" if self.photo_id else f"text-{self.pk}"


class Revision(models.Model):
    """A published essay as it was at one moment, with who changed it and what changed."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    snapshot = models.JSONField()
    summary = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.story} at {self.created_at:%Y-%m-%d %H:%M}"
