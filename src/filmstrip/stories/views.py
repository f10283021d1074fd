"""Public pages: the essay and the home page. Same bytes for every anonymous reader."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from filmstrip.photos.originals import public_original

from .models import Story

# Published pages carry no per-reader state: shared caches in front may keep them for a while,
# browsers revalidate each time (a cheap 304 through the ETag) so a new comment shows at once.
PUBLIC_MAX_AGE = 300
# Photos likely above the fold on a phone load at once; the rest load as the reader scrolls.
EAGER_PHOTOS = 2


def _public(response):
    patch_cache_control(response, public=True, max_age=0, s_maxage=PUBLIC_MAX_AGE)
    return response


def story_list(request):
    stories = Story.objects.published().with_cover()
    return _public(render(request, "stories/story_list.html", {"stories": stories}))


def story_detail(request, slug):
    story = get_object_or_404(Story, slug=slug)
    items = list(story.items.for_page())
    photos = [item for item in items if item.photo_id]
    for index, item in enumerate(photos):
        item.eager = index < EAGER_PHOTOS
        item.priority = index == 0
        item.offers_original = story.offers_original(item.photo)
    context = {"story": story, "items": items, "preview": False}
    if story.is_published:
        return _public(render(request, "stories/story_detail.html", context))
    # Only here is the reader's identity consulted, so public pages never vary by cookie.
    if not story.can_be_previewed_by(request.user):
        raise Http404("No such essay")
    context["preview"] = True
    response = render(request, "stories/story_detail.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def original(request, slug, photo_id):
    """A published photo's original file, where its essay allows downloads."""
    story = get_object_or_404(Story.objects.published(), slug=slug)
    item = get_object_or_404(story.items.select_related("photo"), photo_id=photo_id)
    if not story.offers_original(item.photo):
        raise Http404("This essay does not offer this photo's original")
    data, filename = public_original(item.photo, keep_location=story.share_location)
    response = HttpResponse(data, content_type=f"image/{item.photo.format}")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _public(response)
