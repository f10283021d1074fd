"""oEmbed provider: other sites embed an essay ("rich") or a single photo ("photo")."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from filmstrip.conf import settings
from filmstrip.stories import attribution as rights
from filmstrip.stories.models import Story


def _bound(request, name):
    value = request.GET.get(name, "")
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError(name)
    return int(value)


@require_GET
def oembed(request):
    """oEmbed provider: essays as "rich" embeds, single photos as "photo"."""
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "xml"):
        return HttpResponse("Only json and xml are offered.", status=501)
    url = request.GET.get("url", "")
    prefix = f"{rights.absolute('')}/"
    if not url.startswith(prefix):
        raise Http404("Not a page of this site")
    try:
        maxwidth, maxheight = _bound(request, "maxwidth"), _bound(request, "maxheight")
        match = resolve("/" + url[len(prefix) :].split("?")[0].split("#")[0])
    except ValueError:
        return HttpResponse("maxwidth and maxheight are positive integers.", status=400)
    except Resolver404 as exc:
        raise Http404("Not a page of this site") from exc
    if match.view_name not in ("stories:detail", "stories:photo"):
        raise Http404("Not an essay or photo")
    story = Story.objects.published().filter(slug=match.kwargs["slug"]).first()
    if story is None:
        raise Http404("No such essay")  # drafts included: never say one exists
    data = {
        "version": "1.0",
        "provider_name": settings.SITE_TITLE,
        "provider_url": rights.absolute("/"),
        "author_name": rights.author_name(story),
        "author_url": rights.absolute("/"),
        "cache_age": 3600,
    }
    items = [i for i in story.items.for_page() if i.photo_id]
    if match.view_name == "stories:photo":
        number, item = next(
            ((n, i) for n, i in enumerate(items, 1) if i.photo_id == match.kwargs["photo_id"]),
            (None, None),
        )
        rendition = item and item.photo.rendition_within(maxwidth, maxheight)
        if rendition is None:
            raise Http404("No such photo")
        credit = rights.attribution(story, item, number)
        data |= {
            "type": "photo",
            "title": credit.title,
            "url": rights.absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "author_name": credit.creator,
            "license_url": credit.licence_url,
        }
    else:
        cover = story.cover_item(items)
        rendition = cover and cover.photo.rendition_within(maxwidth or 640, maxheight)
        width = rendition.width if rendition else min(maxwidth or 640, 640)
        data |= {
            "type": "rich",
            "title": story.title,
            "width": width,
            "height": rendition.height + 60 if rendition else 120,
            "html": str(
                format_html(
                    '<blockquote class="filmstrip-embed"><p><a href="{}">{}</a></p>{}</blockquote>',
                    rights.absolute(story.get_absolute_url()),
                    story.title,
                    format_html(
                        '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
                        rights.absolute(story.get_absolute_url()),
                        rights.absolute(rendition.url),
                        rendition.width,
                        rendition.height,
                        cover.alt_text,
                    )
                    if rendition
                    else "",
                )
            ),
        }
        if rendition:
            data |= {
                "thumbnail_url": rights.absolute(rendition.url),
                "thumbnail_width": rendition.width,
                "thumbnail_height": rendition.height,
            }
    if fmt == "xml":
        body = render_to_string("syndication/oembed.xml", {"fields": data.items()})
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(data)


def oembed_links(page_url: str, title: str) -> str:
    """<link> elements announcing the oEmbed endpoint for ``page_url``."""
    links = []
    for fmt, mime in (("json", "application/json+oembed"), ("xml", "text/xml+oembed")):
        href = rights.absolute(f"/oembed?{urlencode({'url': page_url, 'format': fmt})}")
        links.append(
            format_html('<link rel="alternate" type="{}" href="{}" title="{}">', mime, href, title)
        )
    return mark_safe("\n".join(links))  # noqa: S308 (each part built by format_html)
