"""Who made a photo and on what terms it may be re-used: credit lines and linked data.

Everything here is built from the essay and the photo's embedded rights, with absolute URLs
from FILMSTRIP_SITE_URL, so the same page is the same bytes for everyone.
"""

import html
import json
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from filmstrip.accounts.models import display_name
from filmstrip.sitesettings.models import current
from filmstrip.siteurl import absolute

from . import routes
from .page import numbered, photo_label

# Link previews and feeds get at most this wide a photo: sharp, and not heavy.
SHARED_WIDTH = 1600


def plain(fragment: str) -> str:
    """Text of an HTML fragment we rendered (a caption, an intro), entities decoded."""
    return _plain(fragment) if len(fragment) <= 1000 else _text(fragment)


def _text(fragment: str) -> str:
    return html.unescape(strip_tags(fragment)).strip()


# Each caption is asked for twice per page (credit, linked data) and again by each photo page
# and feed of a rebuild, and strip_tags parses HTML: short fragments are remembered.
_plain = lru_cache(maxsize=4096)(_text)


def photo_path(story, photo_id: int) -> str:
    return routes.photo_path(story, photo_id)


def author_name(story) -> str:
    return display_name(story.author if story.author_id else None)


def licence_url(story, photo=None, item=None) -> str:
    """The licence the author set for this photo in this essay, else the photo's own (from its
    file), else the essay's, else the licence text on the essay page."""
    chosen = item.licence_url if item is not None else ""
    own = photo.licence_url if photo is not None else ""
    return (
        chosen
        or own
        or story.licence_url
        or current().default_licence_url
        or absolute(f"{routes.story_path(story)}#licence")
    )


@dataclass(frozen=True)
class Attribution:
    title: str
    creator: str
    credit: str
    copyright: str
    licence_url: str
    permalink: str

    def html(self) -> SafeString:
        """A ready credit line to paste into a page: it links back to the photo."""
        return format_html(
            '<a href="{}">{}</a> by {} (<a href="{}" rel="license">licence</a>)',
            self.permalink,
            self.title,
            self.credit,
            self.licence_url,
        )

    def text(self) -> str:
        return f"“{self.title}” by {self.credit}, {self.permalink} (licence: {self.licence_url})"


def attribution(story, item, number: int) -> Attribution:
    photo = item.photo
    creator = photo.creator or author_name(story)
    title = plain(item.caption_html) or photo.title or photo_label(number)
    year = photo.captured_at or story.published_at
    return Attribution(
        title=title[:200],
        creator=creator,
        credit=photo.credit or creator,
        copyright=photo.copyright or (f"© {year.year} {creator}" if year else f"© {creator}"),
        licence_url=licence_url(story, photo, item),
        permalink=absolute(photo_path(story, item.photo_id)),
    )


def image_object(story, item, number: int) -> dict:
    """schema.org ImageObject with the rights fields search engines show ("Licensable")."""
    credit = attribution(story, item, number)
    photo = item.photo
    large = photo.largest()
    data = {
        "@type": "ImageObject",
        "@id": credit.permalink,
        "url": credit.permalink,
        "name": credit.title,
        "caption": plain(item.caption_html),
        "description": item.alt_text,
        "width": photo.width,
        "height": photo.height,
        "license": credit.licence_url,
        "acquireLicensePage": f"{credit.permalink}#use",
        "creditText": credit.credit,
        "creator": {"@type": "Person", "name": credit.creator},
        "copyrightNotice": credit.copyright,
    }
    if large is not None:
        data["contentUrl"] = absolute(large.url)
    if photo.captured_at:
        data["dateCreated"] = photo.captured_at.isoformat()
    return {k: v for k, v in data.items() if v not in ("", None)}


def article(story, photo_items) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": absolute(routes.story_path(story)),
        "url": absolute(routes.story_path(story)),
        "headline": story.title[:110],
        "description": plain(story.intro_html)[:300],
        "author": {"@type": "Person", "name": author_name(story)},
        "publisher": {"@type": "Organization", "name": current().site_title},
        "license": licence_url(story),
        "image": [image_object(story, item, n) for n, item in numbered(photo_items)],
    }
    if story.published_at:
        data["datePublished"] = story.published_at.isoformat()
        data["dateModified"] = (story.updated_at or story.published_at).isoformat()
    return {k: v for k, v in data.items() if v not in ("", None, [])}


def json_ld(data: dict):
    """For a <script type="application/ld+json">: no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e"))  # noqa: S308
