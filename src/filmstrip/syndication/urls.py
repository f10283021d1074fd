from functools import wraps

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from filmstrip.stories.views import cache_publicly, public_page

from .feeds import CommentFeed, EssayAtomFeed, EssayFeed, EssayJsonFeed
from .oembed import oembed
from .sitemaps import SITEMAPS, robots_txt


def public(view):
    """Cached by shared caches for a while, like the pages, and compressed."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        return cache_publicly(view(request, *args, **kwargs))

    return public_page(cached)


app_name = "syndication"
urlpatterns = [
    path("feed/rss/", public(EssayFeed()), name="feed_rss"),
    path("feed/atom/", public(EssayAtomFeed()), name="feed_atom"),
    path("feed/json/", public(EssayJsonFeed()), name="feed_json"),
    path("tags/<str:slug>/feed/rss/", public(EssayFeed()), name="tag_feed_rss"),
    path("tags/<str:slug>/feed/atom/", public(EssayAtomFeed()), name="tag_feed_atom"),
    path("tags/<str:slug>/feed/json/", public(EssayJsonFeed()), name="tag_feed_json"),
    path("<str:slug>/comments/feed/", public(CommentFeed()), name="comment_feed"),
    path("robots.txt", public(robots_txt), name="robots"),
    path(
        "sitemap.xml",
        public(sitemap),
        {"sitemaps": SITEMAPS, "template_name": "syndication/sitemap.xml"},
        name="sitemap",
    ),
    path("oembed", public(oembed), name="oembed"),
]
