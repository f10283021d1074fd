"""Public pages: the essay and the home page. Same bytes for every anonymous reader."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.gzip import gzip_page

from filmstrip.conf import filmstrip_settings
from filmstrip.photos import originals
from filmstrip.photos.models import attach_renditions
from filmstrip.sitesettings.models import current
from filmstrip.siteurl import absolute

from . import addresses, page, routes
from . import attribution as rights
from .figures import cover_html, essay_html
from .models import Story, StoryItem, Tag

# The photo above the fold loads at once; the rest load as the reader scrolls (Lighthouse on a
# 390 px phone: the second photo is below the fold, and loading it early cost 85 KB).
EAGER_PHOTOS = 1


def cache_publicly(response):
    """Published pages carry no per-reader state: shared caches in front (a CDN) may keep them
    for FILMSTRIP_SHARED_CACHE_SECONDS; browsers revalidate each time (a cheap 304 through the
    ETag) so a new comment shows at once."""
    shared = filmstrip_settings.SHARED_CACHE_SECONDS
    patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
    return response


# Public pages are compressed: they hold no secret for BREACH to guess (no CSRF token, nothing
# about the reader), which is why this is not site-wide middleware.
public_page = gzip_page


@public_page
def story_list(request):
    stories = Story.objects.published().with_cover()
    return cache_publicly(render(request, "stories/story_list.html", {"stories": stories}))


@public_page
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = Story.objects.published().with_cover().filter(tags=tag)
    context = {"tag": tag, "stories": stories, "canonical": absolute(request.path)}
    return cache_publicly(render(request, "stories/tag_detail.html", context))


def _readable(request, slug, photo_id=None) -> tuple[Story, bool]:
    """The essay at ``slug`` and whether this is its author's preview of a draft; else
    addresses.Elsewhere (moved: 301, withdrawn: 410) or Http404."""
    story = Story.objects.select_related("author__author").filter(slug=slug).first()
    if story is not None and story.is_published:
        return story, False
    # Only for drafts is the reader's identity consulted, so public pages never vary by cookie.
    if story is not None and story.can_be_previewed_by(request.user):
        return story, True
    addresses.elsewhere(request, story, slug, photo_id)


def _respond(request, template, context, preview):
    response = render(request, template, {**context, "preview": preview})
    if preview:
        patch_cache_control(response, private=True, no_store=True)
        return response
    return cache_publicly(response)


def _photos(story) -> tuple[list[StoryItem], list[tuple[int, StoryItem]]]:
    """The essay's items, and of them the photos with their numbers."""
    items = list(story.items.select_related("photo"))
    return items, list(page.numbered(items))


@public_page
@addresses.follows_old_addresses
def story_detail(request, slug):
    story, preview = _readable(request, slug)
    items, numbered = _photos(story)
    attach_renditions(item.photo for _, item in numbered)
    photos = [
        page.page_photo(story, item, number, eager=number <= EAGER_PHOTOS, priority=number == 1)
        for number, item in numbered
    ]
    comment_url = None
    if story.accepts_comments():
        comment_url = reverse("comments:confirm", kwargs={"slug": story.slug})
    photo_items = [item for _, item in numbered]
    # (each passage with None; each single photo, or group by its first, with its HTML)
    drawn = essay_html(items, {shown.item.pk: shown for shown in photos}, comment_url)
    cover, drawn = cover_html(story, items, photos, drawn, comment_url)
    context = {
        "story": story,
        "cover": cover,
        "items": drawn,
        "share_image": _share_image(story, photo_items),
        "json_ld": rights.json_ld(rights.article(story, photo_items)),
        "canonical": absolute(routes.story_path(story)),
        "licence_url": rights.licence_url(story),
        "licence_elsewhere": bool(story.licence_url or current().default_licence_url),
        "author_name": rights.author_name(story),
        "tags": list(story.tags.all()),
    }
    return _respond(request, "stories/story_detail.html", context, preview)


def _share_image(story, photo_items):
    """The photo that stands for the essay (stories.models), at a size link previews use."""
    item = story.cover_item(photo_items)
    rendition = item and item.photo.rendition_within(rights.SHARED_WIDTH)
    if not rendition:
        return None
    return {"url": absolute(rendition.url), "rendition": rendition, "alt": item.alt_text}


@public_page
@addresses.follows_old_addresses
def photo_detail(request, slug, photo_id):
    """One photo of an essay on its own page: the lightbox's permalink, shareable."""
    story, preview = _readable(request, slug, photo_id)
    _, numbered = _photos(story)
    index = next((i for i, (_, item) in enumerate(numbered) if item.photo_id == photo_id), None)
    if index is None:
        raise Http404("This photo is not part of this essay")
    number, item = numbered[index]
    # Of the other photos, only their addresses are needed: renditions of this one.
    attach_renditions([item.photo])
    shown = page.page_photo(story, item, number, eager=True, priority=True)
    previous = numbered[index - 1][1] if index > 0 else None
    following = numbered[index + 1][1] if index + 1 < len(numbered) else None
    credit = rights.attribution(story, item, number)
    # (a comment's essay is this one: the related manager gives it without a query or join)
    comments = story.comments.approved().filter(photo_id=photo_id)
    context = {
        "story": story,
        "story_path": routes.story_path(story),
        "item": item,
        "page_photo": shown,
        "previous": previous and routes.photo_path(story, previous.photo_id),
        "next": following and routes.photo_path(story, following.photo_id),
        "count": len(numbered),
        "credit": credit,
        "comments": comments,
        "share_image": _share_image(story, [item]),
        "json_ld": rights.json_ld(
            {"@context": "https://schema.org", **rights.image_object(story, item, number)}
        ),
        "canonical": credit.permalink,
    }
    return _respond(request, "stories/photo_detail.html", context, preview)


def original(request, slug, photo_id):
    """A published photo's original file, where its essay allows downloads."""
    story = get_object_or_404(Story.objects.published(), slug=slug)
    item = get_object_or_404(story.items.select_related("photo"), photo_id=photo_id)
    if not story.offers_original(item.photo):
        raise Http404("This essay does not offer this photo's original")
    try:
        data, filename = originals.public_original(item.photo, keep_location=story.share_location)
    except originals.OriginalWithheld as exc:
        raise Http404("This photo's original is not offered") from exc
    except originals.Busy as exc:
        response = HttpResponse(str(exc), status=503, content_type="text/plain")
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(data, content_type=f"image/{item.photo.format}")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return cache_publicly(response)
