"""The public documents of the site, and rendering one exactly as a reader would get it.

A document is rendered by Django itself, through the whole middleware stack, as an anonymous
reader on the site's own address (FILMSTRIP_SITE_URL): public pages are the same bytes for
everyone, so these are the bytes every reader gets.
"""

import io
import sys
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import HttpResponse, StreamingHttpResponse
from django.http.request import validate_host
from django.urls import reverse

from filmstrip.stories.models import Story, Tag

FEEDS = ("rss", "atom", "json")


def site_paths() -> list[str]:
    """What every essay change may touch: the home page, the site's feeds, sitemap, robots."""
    return [
        reverse("stories:list"),
        *(reverse(f"syndication:feed_{kind}") for kind in FEEDS),
        reverse("syndication:sitemap"),
        reverse("syndication:robots"),
    ]


def tag_paths(tag: Tag) -> list[str]:
    return [
        reverse("stories:tag", kwargs={"slug": tag.slug}),
        *(reverse(f"syndication:tag_feed_{kind}", kwargs={"slug": tag.slug}) for kind in FEEDS),
    ]


def story_paths(story: Story) -> list[str]:
    """The essay's own documents: its page first (what readers wait for), then its comment
    feed and a page per photo."""
    photo_ids = story.items.filter(photo__isnull=False).values_list("photo_id", flat=True)
    return [
        story.get_absolute_url(),
        reverse("syndication:comment_feed", kwargs={"slug": story.slug}),
        *(
            reverse("stories:photo", kwargs={"slug": story.slug, "photo_id": photo_id})
            for photo_id in photo_ids
        ),
    ]


def every_path() -> list[str]:
    """Every document of the public site as it is now."""
    paths = []
    for story in Story.objects.published().order_by("pk"):
        paths += story_paths(story)
    for tag in Tag.objects.order_by("pk"):
        paths += tag_paths(tag)
    return paths + site_paths()


@dataclass
class Rendered:
    path: str
    status: int
    content: bytes = b""
    headers: dict = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


@cache
def _handler() -> WSGIHandler:
    return WSGIHandler()


def render(path: str) -> Rendered:
    """Django's answer to an anonymous GET of ``path`` on the site's address.

    The handler's response is taken without the request_started/finished signals, which would
    close the database connection the rebuild is using: closing the response sends
    request_finished, so its receiver that closes connections is held off meanwhile (as
    Django's test client does; on PostgreSQL it broke the connection of a caller's
    transaction, and it would open a new connection for every document).
    """
    _check_host()
    request = WSGIRequest(_environ(path))
    response = _handler().get_response(request)
    try:
        if isinstance(response, StreamingHttpResponse):
            content = b"".join(response.streaming_content)  # type: ignore[arg-type]
        else:
            assert isinstance(response, HttpResponse)
            content = response.content
        return Rendered(path, response.status_code, content, dict(response.items()))
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


def _check_host() -> None:
    host = urlsplit(settings.SITE_URL).hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            f"FILMSTRIP_SITE_URL ({settings.SITE_URL}) names a host that is not in "
            "FILMSTRIP_ALLOWED_HOSTS: published pages are rendered for that address, so add it."
        )


def _environ(path: str) -> dict:
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    host = site.netloc or "127.0.0.1"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.encode().decode("latin-1"),  # as a WSGI server passes it
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": site.hostname or "127.0.0.1",
        "SERVER_PORT": str(site.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": site.scheme or "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if secure and header:
        environ[header[0]] = header[1]  # as the HTTPS proxy in front says it
    return environ
