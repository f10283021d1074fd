"""Addresses essays had: a renamed essay's old links lead on (301), a removed one's say 410 Gone.

Cool URIs don't change; when they must, readers and search engines are told where the essay
went, or that it was withdrawn on purpose rather than never there (404).
"""

from functools import wraps
from typing import NoReturn

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from .models import OldSlug, Story


class Elsewhere(Exception):
    """The essay asked for is not at this address: ``response`` says where it went or that it
    has gone."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def elsewhere(request, story: Story | None, slug: str, photo_id: int | None = None) -> NoReturn:
    """Raise Elsewhere for ``slug`` (whose ``story``, if any, readers may not see), or Http404
    if no essay was ever published there."""
    if story is not None and story.is_withdrawn:
        raise Elsewhere(gone(request))
    if story is None:
        old = OldSlug.objects.select_related("story").filter(slug=slug).first()
        if old is not None and old.story is not None and old.story.is_published:
            kwargs: dict[str, str | int] = {"slug": old.story.slug}
            name = "stories:detail"
            if photo_id is not None:
                name, kwargs["photo_id"] = "stories:photo", photo_id
            raise Elsewhere(HttpResponsePermanentRedirect(reverse(name, kwargs=kwargs)))
        if old is not None:
            raise Elsewhere(gone(request))
    raise Http404("No such essay")


def gone(request):
    return render(request, "stories/story_gone.html", status=410)


def follows_old_addresses(view):
    """Answer a view's Elsewhere with its response."""

    @wraps(view)
    def answering(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Elsewhere as moved:
            return moved.response

    return answering
