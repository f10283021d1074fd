"""Which of our pages a link points at: a published essay, or one of its photos.

A target is an essay's URL (``/<slug>/``), a photo's anchor on it (``/<slug>/#photo-<id>``) or a
photo's permalink (``/<slug>/photos/<id>/``), on this site's host. Drafts are answered exactly
as missing pages are, so nobody learns that a draft exists.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings as django_settings
from django.urls import Resolver404, resolve

from filmstrip.photos.models import Photo
from filmstrip.stories.models import Story

from .links import DEFAULT_PORTS, host_port

PHOTO_PERMALINK = re.compile(r"^/(?P<slug>[^/]+)/photos/(?P<photo>\d+)/?$")
PHOTO_ANCHOR = re.compile(r"^photo-(?P<photo>\d+)$")


class UnknownTarget(Exception):
    """Nothing of ours is there (or nothing public)."""


class UnusableTarget(Exception):
    """The URL is not one that can receive links back: another site, the home page, …"""


@dataclass
class Target:
    story: Story
    photo: Photo | None


def site_hosts(request=None) -> set[tuple[str, int]]:
    """``(host, port)`` this site is reached on: FILMSTRIP_SITE_URL's (by http or https when it
    uses a default port), and the host a request came to."""
    named = [host_port(django_settings.SITE_URL)]
    if request is not None:
        named.append(host_port(request.get_host(), request.scheme))
    hosts = {where for where in named if where is not None}
    for host, port in list(hosts):
        if port in DEFAULT_PORTS.values():
            hosts.update((host, default) for default in DEFAULT_PORTS.values())
    return hosts


def resolve_target(url: str, hosts: set[tuple[str, int]]) -> Target:
    """The essay (and photo) ``url`` names; UnknownTarget or UnusableTarget otherwise."""
    parts = urlsplit(url)
    if host_port(url) not in hosts:
        raise UnusableTarget("The target is not on this site.")
    path = unquote(parts.path or "/")
    permalink = PHOTO_PERMALINK.match(path)
    photo_id: int | None
    if permalink:
        slug, photo_id = permalink["slug"], int(permalink["photo"])
    else:
        try:
            match = resolve(path)
        except Resolver404:
            raise UnknownTarget("There is no page at the target URL.") from None
        if match.view_name != "stories:detail":
            raise UnusableTarget("Only an essay, or a photo in one, can be linked to here.")
        slug = match.kwargs["slug"]
        anchor = PHOTO_ANCHOR.match(unquote(parts.fragment))
        photo_id = int(anchor["photo"]) if anchor else None
    story = Story.objects.published().filter(slug=slug).first()
    if story is None:
        raise UnknownTarget("There is no published essay at the target URL.")
    if photo_id is None:
        return Target(story, None)
    item = story.items.filter(photo_id=photo_id).select_related("photo").first()
    if item is None:
        raise UnknownTarget("That photo is not part of this essay.")
    return Target(story, item.photo)
