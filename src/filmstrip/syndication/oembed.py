"""oEmbed provider: other sites embed an essay ("rich") or a single photo ("photo").

A request goes through three steps: :func:`parse` reads what was asked (or says why it cannot be
answered), :func:`build` finds the essay or photo and describes it in oEmbed's fields, and
:func:`serialise` writes those as JSON or XML.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from filmstrip.sitesettings.models import current
from filmstrip.siteurl import absolute
from filmstrip.stories import attribution as rights
from filmstrip.stories.models import Story
from filmstrip.stories.page import numbered

FORMATS = ("json", "xml")
PHOTO_VIEW, ESSAY_VIEW = "stories:photo", "stories:detail"
RICH_WIDTH = 640  # an essay's embed, unless the consumer asks for less
TITLE_HEIGHT = 60  # the essay's title, a line above its cover
NO_COVER_HEIGHT = 120  # an essay with no photo to show: its title alone


class Unanswerable(Exception):
    """A request this endpoint cannot answer as asked; ``status`` and the message say why."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Asked:
    """What a consumer asked for: an essay (``photo_id`` None) or one of its photos."""

    slug: str
    photo_id: int | None
    format: str
    maxwidth: int | None
    maxheight: int | None


@require_GET
def oembed(request):
    """oEmbed provider: essays as "rich" embeds, single photos as "photo"."""
    try:
        asked = parse(request.GET)
    except Unanswerable as exc:
        return HttpResponse(exc.message, status=exc.status)
    return serialise(build(asked), asked.format)


def parse(query) -> Asked:
    """What the query asks for; Unanswerable, or Http404 for a URL that is not an essay or
    photo page of this site."""
    fmt = query.get("format", "json")
    if fmt not in FORMATS:
        raise Unanswerable("Only json and xml are offered.", 501)
    url = query.get("url", "")
    prefix = f"{absolute('')}/"
    if not url.startswith(prefix):
        raise Http404("Not a page of this site")
    try:
        maxwidth, maxheight = _bound(query, "maxwidth"), _bound(query, "maxheight")
        match = resolve("/" + url[len(prefix) :].split("?")[0].split("#")[0])
    except ValueError:
        raise Unanswerable("maxwidth and maxheight are positive integers.", 400) from None
    except Resolver404 as exc:
        raise Http404("Not a page of this site") from exc
    if match.view_name not in (ESSAY_VIEW, PHOTO_VIEW):
        raise Http404("Not an essay or photo")
    photo_id = match.kwargs["photo_id"] if match.view_name == PHOTO_VIEW else None
    return Asked(match.kwargs["slug"], photo_id, fmt, maxwidth, maxheight)


def _bound(query, name) -> int | None:
    value = query.get(name, "")
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError(name)
    return int(value)


def build(asked: Asked) -> dict:
    """The oEmbed fields describing what was asked for; Http404 if it is not published."""
    story = Story.objects.published().filter(slug=asked.slug).first()
    if story is None:
        raise Http404("No such essay")  # drafts included: never say one exists
    data = {
        "version": "1.0",
        "provider_name": current().site_title,
        "provider_url": absolute("/"),
        "author_name": rights.author_name(story),
        "author_url": absolute("/"),
        "cache_age": 3600,
    }
    items = [i for i in story.items.for_page() if i.photo_id]
    if asked.photo_id is not None:
        return data | _photo(story, items, asked)
    return data | _rich(story, items, asked)


def _photo(story, items, asked: Asked) -> dict:
    number, item = next(
        ((n, i) for n, i in numbered(items) if i.photo_id == asked.photo_id), (None, None)
    )
    photo = item.photo if item is not None else None
    rendition = photo.rendition_within(asked.maxwidth, asked.maxheight) if photo else None
    if rendition is None or item is None or number is None:
        raise Http404("No such photo")
    credit = rights.attribution(story, item, number)
    return {
        "type": "photo",
        "title": credit.title,
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "author_name": credit.creator,
        "license_url": credit.licence_url,
    }


def _rich(story, items, asked: Asked) -> dict:
    cover = story.cover_item(items)
    width = asked.maxwidth or RICH_WIDTH
    rendition = cover and cover.photo.rendition_within(width, asked.maxheight)
    fields = {
        "type": "rich",
        "title": story.title,
        "width": rendition.width if rendition else min(width, RICH_WIDTH),
        "height": rendition.height + TITLE_HEIGHT if rendition else NO_COVER_HEIGHT,
        "html": _embed_html(story, cover, rendition),
    }
    if rendition:
        fields |= {
            "thumbnail_url": absolute(rendition.url),
            "thumbnail_width": rendition.width,
            "thumbnail_height": rendition.height,
        }
    return fields


def _embed_html(story, cover, rendition) -> str:
    url = absolute(story.get_absolute_url())
    picture = (
        format_html(
            '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
            url,
            absolute(rendition.url),
            rendition.width,
            rendition.height,
            cover.alt_text,
        )
        if rendition
        else ""
    )
    return str(
        format_html(
            '<blockquote class="filmstrip-embed"><p><a href="{}">{}</a></p>{}</blockquote>',
            url,
            story.title,
            picture,
        )
    )


def serialise(data: dict, fmt: str) -> HttpResponse:
    if fmt == "xml":
        body = render_to_string("syndication/oembed.xml", {"fields": data.items()})
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(data)


def oembed_links(page_url: str, title: str) -> str:
    """<link> elements announcing the oEmbed endpoint for ``page_url``."""
    links = []
    for fmt, mime in (("json", "application/json+oembed"), ("xml", "text/xml+oembed")):
        href = absolute(f"/oembed?{urlencode({'url': page_url, 'format': fmt})}")
        links.append(
            format_html('<link rel="alternate" type="{}" href="{}" title="{}">', mime, href, title)
        )
    return mark_safe("\n".join(links))  # noqa: S308 (each part built by format_html)
