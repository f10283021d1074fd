"""Addresses of many rows on one page: reverse() once, then put each id in.

An essay page links every photo's page (and original, and comment form) by id; reverse() for
each was the largest single cost of rendering one (about 1,500 calls for 80 photos).
"""

from django.urls import reverse

# No row has this id; reversed in its place, it marks where each id goes.
_MARKER = "2147483647"


class IdRoute:
    """``IdRoute("stories:photo", "photo_id", slug=s)(42)`` equals
    ``reverse("stories:photo", kwargs={"slug": s, "photo_id": 42})``."""

    def __init__(self, viewname: str, id_kwarg: str, **kwargs):
        path = reverse(viewname, kwargs={**kwargs, id_kwarg: int(_MARKER)})
        # The last occurrence: the id comes after the slug in our patterns, and a slug could
        # hold these digits too.
        self.prefix, _, self.suffix = path.rpartition(_MARKER)

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{int(pk)}{self.suffix}"


def _per_essay(story, key: str, make):
    """``make()``, kept on this essay object for as long as its slug stays the same."""
    slug, value = story.__dict__.get(key, (None, None))
    if slug != story.slug:
        value = make()
        story.__dict__[key] = (story.slug, value)
    return value


def story_path(story) -> str:
    """``story.get_absolute_url()``, reversed once per essay object."""
    return _per_essay(story, "_route_path", story.get_absolute_url)


def photo_path(story, photo_id: int) -> str:
    """The path of ``story``'s page for one photo."""
    route = _per_essay(
        story, "_route_photo", lambda: IdRoute("stories:photo", "photo_id", slug=story.slug)
    )
    return route(photo_id)


def original_path(story, photo_id: int) -> str:
    """The path of a photo's original file, downloaded from ``story``."""
    route = _per_essay(
        story, "_route_original", lambda: IdRoute("stories:original", "photo_id", slug=story.slug)
    )
    return route(photo_id)
