from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_control

from filmstrip.comments.views import sign_in
from filmstrip.conf import settings as filmstrip_settings
from filmstrip.stories.discovery import SITEMAPS, oembed, robots_txt

admin.site.site_header = f"{filmstrip_settings.SITE_TITLE} · admin"
admin.site.site_title = filmstrip_settings.SITE_TITLE

urlpatterns = [
    path("admin/", admin.site.urls),
]
if settings.MEDIA_URL.startswith("/"):
    # Media on local disk: Filmstrip serves renditions itself (see photos/views.py).
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/"), include("filmstrip.photos.urls")))
urlpatterns.append(path("comments/", include("filmstrip.comments.urls")))
# Our page for choosing a provider stands in front of allauth's password login form.
urlpatterns.append(path("accounts/login/", sign_in, name="sign_in"))
urlpatterns.append(path("accounts/", include("allauth.urls")))
public = cache_control(public=True, max_age=0, s_maxage=300)
urlpatterns += [
    path("robots.txt", public(robots_txt)),
    path(
        "sitemap.xml",
        public(sitemap),
        {"sitemaps": SITEMAPS, "template_name": "stories/sitemap.xml"},
        name="sitemap",
    ),
    path("oembed", public(oembed), name="oembed"),
]
# Webmention and Pingback receivers (/webmention, /xmlrpc), ahead of the essays' catch-all.
urlpatterns.append(path("", include("filmstrip.backlinks.urls")))
urlpatterns.append(path("", include("filmstrip.stories.urls")))
