"""Public pages: the essay and the home page. Same bytes for every anonymous reader."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from .models import Story

# Published pages may be cached briefly by anything in front; they carry no per-reader state.
PUBLIC_MAX_AGE = 300
# Photos likely above the fold on a phone load at once; the rest load as the reader scrolls.
EAGER_PHOTOS = 2


def _public(response):
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
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
