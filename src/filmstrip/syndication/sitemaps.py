"""Where the essays are, for search engines: a sitemap with image entries, and robots.txt."""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Prefetch
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from filmstrip.photos.models import attach_renditions
from filmstrip.siteurl import absolute
from filmstrip.stories.models import Story, StoryItem, Tag


class SiteSitemap(Sitemap):
    """Addresses under FILMSTRIP_SITE_URL, whatever host name the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(django_settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(django_settings.SITE_URL).netloc


class EssaySitemap(SiteSitemap):
    """Every published essay, with its photos as image entries (Google's image extension)."""

    def items(self):
        items = Prefetch("items", queryset=StoryItem.objects.select_related("photo"))
        stories = list(Story.objects.published().prefetch_related(items))
        attach_renditions(i.photo for story in stories for i in story.items.all() if i.photo_id)
        return stories

    def lastmod(self, story):
        return story.updated_at or story.published_at

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["images"] = [
                absolute(large.url)
                for item in url["item"].items.all()
                if item.photo_id and (large := item.photo.largest())
            ]
        return urls


class TagSitemap(SiteSitemap):
    def items(self):
        return Tag.objects.filter(stories__in=Story.objects.published()).distinct()


SITEMAPS = {"essays": EssaySitemap, "tags": TagSitemap}


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /comments/",
        "",
        f"Sitemap: {absolute('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
