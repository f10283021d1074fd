"""Old links kept working: what importers call to remember an address, and what answers it.

The API, for importers (filmstrip.migration.wordpress calls it inside each post's transaction,
so the addresses roll back with the post):

``remember(address, story=None, *, photo=None, tag=None, file=False, feed=False)``
    Keep ``address`` (a full URL or a path, as the old site wrote it; see paths.py for how it
    is written down) leading to:

    - ``story``: the essay;
    - ``photo`` (with the ``story`` it was posted in): the photo's page in that essay, or,
      with ``file=True``, its largest rendition (an old upload address served an image, and
      still does, wherever it is shown);
    - ``tag``: the tag's page, or with ``feed=True`` the tag's feed;
    - ``feed=True`` alone: the site's feed.

    Returns the OldAddress, or None for an address with no page of its own (None, the home page,
    an empty or over-long one). Idempotent: remembering an address again points it at the new
    target (the latest import wins) and writes nothing when the target is the same.
    ValueError for a target that is missing or ambiguous.

``remember_post(story, *, post_id, link="", slug="", date=None, old_slugs=())``
    Every address a WordPress post had: its ``link``, ``/?p=ID`` (also ``?page_id=ID`` and
    ``/archives/ID``), and for its ``slug`` and each ``_wp_old_slug`` the common permalinks
    ``/YYYY/MM/DD/slug/``, ``/YYYY/MM/slug/`` and ``/slug/`` (``date``: the post's local
    ``post_date``), plus the ``link`` with the old slug in place of the slug.

``remember_attachment(photo, story, *, attachment_id, link="", file_urls=())``
    An attachment's page (``link``, ``?attachment_id=ID``) to the photo's page, and its files
    (``attachment_url``, any resized copy, files.wordpress.com) to its largest rendition.

``remember_term(tag, *, taxonomy, slug)``
    ``/category/slug/`` (taxonomy "category") or ``/tag/slug/`` ("post_tag") and their
    ``feed/`` to the tag's page and feed; any other taxonomy is passed over (0).

Each of the three returns the number of addresses it wrote (new or changed).

Answering: ``answer(request)`` is asked by OldLinksMiddleware on a 404, and for ``/?p=ID``,
``/?page_id=ID`` and ``/?attachment_id=ID`` before the home page; never otherwise, so ordinary
pages cost no query. An address leads on (301) while its target is public; a withdrawn or
deleted essay's address answers 410 Gone, a draft's 404, as the essay's own address does.
"""

import re
from collections.abc import Iterable
from datetime import date as Date
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone

from filmstrip.photos.models import Photo
from filmstrip.stories import routes
from filmstrip.stories.addresses import gone
from filmstrip.stories.models import Story, Tag

from .models import OldAddress
from .paths import key, path_key

Leads = OldAddress.Leads
GONE, NOT_FOUND = 410, 404
TAXONOMIES = {"category": "category", "post_tag": "tag"}


def remember(
    address: str | None,
    story: Story | None = None,
    *,
    photo: Photo | None = None,
    tag: Tag | None = None,
    file: bool = False,
    feed: bool = False,
) -> OldAddress | None:
    return _keep(address, _target(story, photo, tag, file, feed))[0]


def _keep(address: str | None, target: dict) -> tuple[OldAddress | None, bool]:
    """The row for ``address`` leading to ``target``, and whether it was written."""
    path = key(address)
    if path is None:
        return None, False
    old = OldAddress.objects.filter(path=path).first()
    if old is None:
        return OldAddress.objects.create(path=path, **target), True
    if all(getattr(old, name) == value for name, value in target.items()):
        return old, False
    for name, value in target.items():
        setattr(old, name, value)
    old.remembered_at = timezone.now()
    old.save()
    return old, True


def _target(
    story: Story | None, photo: Photo | None, tag: Tag | None, file: bool, feed: bool
) -> dict:
    """The row's fields for a target, as ids (comparing them costs no query)."""
    if photo is not None and tag is None and not feed:
        leads = Leads.FILE if file else Leads.PHOTO
    elif tag is not None and story is None and photo is None and not file:
        leads = Leads.FEED if feed else Leads.TAG
    elif story is not None and photo is None and tag is None and not (file or feed):
        leads = Leads.ESSAY
    elif feed and story is None and photo is None and tag is None and not file:
        leads = Leads.FEED
    else:
        raise ValueError("An old address leads to one essay, photo, tag or feed.")
    ids = {
        f"{name}_id": row.pk if row is not None else None
        for name, row in (("story", story), ("photo", photo), ("tag", tag))
    }
    return {"leads_to": leads, **ids}


def _remember_all(addresses: Iterable[str | None], **target: Any) -> int:
    """remember() each of ``addresses``; how many were written."""
    fields = {"story": None, "photo": None, "tag": None, "file": False, "feed": False, **target}
    leads = _target(**fields)
    return sum(_keep(address, leads)[1] for address in dict.fromkeys(addresses) if address)


def remember_post(
    story: Story,
    *,
    post_id: int,
    link: str = "",
    slug: str = "",
    date: Date | None = None,
    old_slugs: Iterable[str] = (),
) -> int:
    slugs = [s.strip("/") for s in dict.fromkeys([slug, *old_slugs]) if s and s.strip("/")]
    addresses = [link, f"/?p={int(post_id)}"]
    for each in slugs:
        addresses.append(f"/{each}/")
        if date is not None:
            addresses += [f"{date:/%Y/%m/%d}/{each}/", f"{date:/%Y/%m}/{each}/"]
        if link and slug and each != slug:
            # A custom structure's link, as it was under the old slug (put in as it is).
            ending = re.search(rf"/{re.escape(slug)}(/?)$", link)
            if ending:
                addresses.append(f"{link[: ending.start()]}/{each}{ending[1]}")
    return _remember_all(addresses, story=story)


def remember_attachment(
    photo: Photo,
    story: Story | None,
    *,
    attachment_id: int,
    link: str = "",
    file_urls: Iterable[str] = (),
) -> int:
    pages = _remember_all([link, f"/?p={int(attachment_id)}"], story=story, photo=photo)
    return pages + _remember_all(file_urls, story=story, photo=photo, file=True)


def remember_term(tag: Tag, *, taxonomy: str, slug: str) -> int:
    if taxonomy not in TAXONOMIES or not slug.strip("/"):
        return 0  # another taxonomy's addresses are the site's own (post formats, menus…)
    base = f"/{TAXONOMIES[taxonomy]}/{slug.strip('/')}/"
    return _remember_all([base], tag=tag) + _remember_all([f"{base}feed/"], tag=tag, feed=True)


# --- answering --------------------------------------------------------------------------------


def answer(request: HttpRequest) -> HttpResponse | None:
    """The response for an old address, or None to leave the request as it was."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = path_key(request.path_info, request.META.get("QUERY_STRING", ""))
    if path is None:
        return None
    old = OldAddress.objects.select_related("story", "photo", "tag").filter(path=path).first()
    target = destination(old) if old is not None else generic(path)
    if target == GONE:
        return gone(request)
    if not isinstance(target, str) or target == request.path:  # NOT_FOUND, nothing, or here
        return None
    return HttpResponsePermanentRedirect(target)


def destination(old: OldAddress) -> str | int:
    """Where ``old`` leads now: an address, or GONE or NOT_FOUND."""
    if old.leads_to == Leads.TAG:
        return old.tag.get_absolute_url() if old.tag else GONE
    if old.leads_to == Leads.FEED:
        if old.tag is None:
            return reverse("syndication:feed_rss")
        return reverse("syndication:tag_feed_rss", kwargs={"slug": old.tag.slug})
    if old.leads_to == Leads.ESSAY:
        return _essay(old.story)
    if old.photo is None:
        return GONE
    if old.leads_to == Leads.FILE and Photo.objects.public().filter(pk=old.photo.pk).exists():
        largest = old.photo.largest()
        if largest is not None:
            return largest.url
    return _photo_page(old.photo, old.story)


def _essay(story: Story | None) -> str | int:
    """What the essay's own address answers: itself (published), 410 (withdrawn or deleted),
    else 404."""
    if story is None or story.is_withdrawn:
        return GONE
    return routes.story_path(story) if story.is_published else NOT_FOUND


def _photo_page(photo: Photo, story: Story | None) -> str | int:
    """The photo's page in ``story`` if it still shows it, else in a published essay that
    does; else ``story`` itself, as its own address answers."""
    essays = Story.objects.published().filter(items__photo=photo)
    shown = None
    if story is not None:
        shown = essays.filter(pk=story.pk).first()  # its own essay first
    shown = shown or essays.first()
    return routes.photo_path(shown, photo.pk) if shown is not None else _essay(story)


# Links every WordPress site had, whatever was imported: its feed, and its categories and tags
# (a tag made from a term keeps the term's name, hence mostly its slug).
_FEED = re.compile(r"/(?:feed(?:/rss2?)?|rss|rss2)")
_TERM = re.compile(r"/(?:category|tag)/(?:[^/]+/)*?([^/]+?)(/feed(?:/rss2?|/atom)?)?")
_DATED = re.compile(r"/\d{4}/\d\d(?:/\d\d)?/([^/]+)")


def generic(path: str) -> str | None:
    """Where a link of a common WordPress form leads without a remembered row."""
    if _FEED.fullmatch(path):
        return reverse("syndication:feed_rss")
    term = _TERM.fullmatch(path)
    if term:
        tag = Tag.objects.filter(slug=term[1]).first()
        if tag is None:
            return None
        if term[2]:
            name = "tag_feed_atom" if term[2].endswith("atom") else "tag_feed_rss"
            return reverse(f"syndication:{name}", kwargs={"slug": tag.slug})
        return tag.get_absolute_url()
    dated = _DATED.fullmatch(path)
    if dated:
        story = Story.objects.published().filter(slug=dated[1]).first()
        return routes.story_path(story) if story is not None else None
    return None
