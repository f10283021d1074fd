from django.urls import path
from django.views.decorators.cache import cache_control

from . import views
from .feeds import CommentFeed, EssayAtomFeed, EssayFeed, json_feed


# Feeds change when essays and comments do: shared caches keep them briefly, like the pages.
def public(view):
    return views.public_page(
        cache_control(public=True, max_age=0, s_maxage=views.PUBLIC_MAX_AGE)(view)
    )


app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("feed/rss/", public(EssayFeed()), name="feed_rss"),
    path("feed/atom/", public(EssayAtomFeed()), name="feed_atom"),
    path("feed/json/", public(json_feed), name="feed_json"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("tags/<str:slug>/feed/rss/", public(EssayFeed()), name="tag_feed_rss"),
    path("tags/<str:slug>/feed/atom/", public(EssayAtomFeed()), name="tag_feed_atom"),
    path("tags/<str:slug>/feed/json/", public(json_feed), name="tag_feed_json"),
    path("<str:slug>/comments/feed/", public(CommentFeed()), name="comment_feed"),
    path("<str:slug>/", views.story_detail, name="detail"),
    path("<str:slug>/photos/<int:photo_id>/", views.photo_detail, name="photo"),
    path("<str:slug>/photos/<int:photo_id>/original", views.original, name="original"),
]
