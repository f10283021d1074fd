"""What a WordPress export (WXR) holds, as plain records: the reader (wxr.py) makes them, the
content converter (content.py), the media library (media.py) and the importer (importer.py) read
them. No Django here, so the reader and the converter can be tested and benchmarked alone."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Author:
    login: str
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Term:
    """A category or tag an item is filed under: ``domain`` is "category" or "post_tag"."""

    domain: str
    slug: str
    name: str


@dataclass
class Site:
    """The export's channel: which site it came from and who wrote there."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    language: str = ""
    wxr_version: str = ""
    authors: list[Author] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What identifies the site across exports (the blog's own address, without scheme)."""
        url = self.base_blog_url or self.link or self.base_site_url
        return url.split("://", 1)[-1].rstrip("/").lower()


@dataclass
class Comment:
    id: int
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date_gmt: datetime | None = None  # aware, UTC; None for WordPress's "0000-00-00 00:00:00"
    content: str = ""
    approved: str = "1"  # WordPress's own values: "1", "0", "spam", "trash", "post-trashed"
    type: str = "comment"  # "comment", "pingback" or "trackback" ("" in an export is "comment")
    parent: int = 0
    user_id: int = 0
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """One <item>: a post, a page, an attachment or anything else WordPress stores as a post."""

    id: int
    type: str = "post"  # post_type: "post", "page", "attachment", "nav_menu_item", …
    title: str = ""
    slug: str = ""  # post_name; may be empty
    status: str = "publish"  # "publish", "draft", "pending", "private", "future", "inherit", …
    link: str = ""
    guid: str = ""
    creator: str = ""  # the author's login (dc:creator)
    content: str = ""
    excerpt: str = ""
    date: datetime | None = None  # post_date as written, naive (the site's zone)
    date_gmt: datetime | None = None  # aware, UTC; None for "0000-00-00 00:00:00"
    modified_gmt: datetime | None = None  # aware, UTC
    comment_status: str = "open"
    ping_status: str = "open"
    password: str = ""
    parent: int = 0
    menu_order: int = 0
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    # postmeta; a key may repeat (e.g. _wp_old_slug), so each holds its values in order.
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    def meta_value(self, key: str, default: str = "") -> str:
        values = self.meta.get(key)
        return values[-1] if values else default

    @property
    def old_slugs(self) -> list[str]:
        return list(self.meta.get("_wp_old_slug", []))

    @property
    def tags(self) -> list[Term]:
        """Categories and tags alike: Filmstrip has tags only."""
        return [t for t in self.terms if t.domain in ("category", "post_tag")]


@dataclass(frozen=True)
class Attachment:
    """A media-library entry, as the converter and the media library need it."""

    id: int
    url: str  # attachment_url: the original file's address
    file: str = ""  # _wp_attached_file: "2014/04/name.jpg", relative to uploads
    title: str = ""
    caption: str = ""  # the attachment's excerpt
    description: str = ""  # the attachment's content
    alt: str = ""  # _wp_attachment_image_alt
    parent: int = 0
    link: str = ""  # the attachment page's address
    menu_order: int = 0  # a [gallery] without ids shows the post's images in this order

    @classmethod
    def from_item(cls, item: Item) -> "Attachment":
        return cls(
            id=item.id,
            url=item.attachment_url or item.guid,
            file=item.meta_value("_wp_attached_file"),
            title=item.title,
            caption=item.excerpt,
            description=item.content,
            alt=item.meta_value("_wp_attachment_image_alt"),
            parent=item.parent,
            link=item.link,
            menu_order=item.menu_order,
        )


# What the content converter makes of a post's content, in reading order.


@dataclass
class PhotoBlock:
    """A photo in the post: found by attachment id where the markup names one, else by URL."""

    attachment_id: int | None = None
    url: str = ""  # the src or link as written (may be a resized variant)
    caption: str = ""  # Markdown, one paragraph; "" if none
    alt: str = ""
    group: int | None = None  # photos of one gallery share a number (per post)
    columns: int | None = None  # the gallery's columns, when it says


@dataclass
class TextBlock:
    markdown: str  # a text passage, Markdown (rendered and sanitised by stories.richtext)


@dataclass
class Conversion:
    blocks: list[PhotoBlock | TextBlock] = field(default_factory=list)
    # Constructs kept as text because nothing here knows them, e.g. "shortcode [audio]",
    # "block core/table": one entry per kind, for the report.
    unknown: list[str] = field(default_factory=list)
