"""Feeds of published essays (RSS 2.0, Atom, JSON Feed 1.1), for the site and per tag, with
every photo, its credit and the licence; and an Atom feed of each essay's comments."""

from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    Stylesheet,
    SyndicationFeed,
)
from django.utils.xmlutils import SimplerXMLGenerator

from filmstrip.photos.models import attach_renditions
from filmstrip.published.layout import FEED_XML
from filmstrip.sitesettings.models import current
from filmstrip.siteurl import absolute
from filmstrip.stories import attribution as rights
from filmstrip.stories import routes
from filmstrip.stories.models import Story, StoryItem, Tag
from filmstrip.stories.page import numbered

from .jsonfeed import JsonFeed

LATEST = 20
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def feed_photos(story) -> list[dict]:
    """What a feed says of each photo of ``story``: a JPEG everyone can show, and its rights."""
    photos = []
    for number, item in numbered(story.items.all()):
        rendition = item.photo.rendition_within(rights.SHARED_WIDTH) if item.photo else None
        if rendition is None:
            continue
        credit = rights.attribution(story, item, number)
        photos.append(
            {
                "photo_id": item.photo_id,
                "url": absolute(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "size": rendition.size_bytes,
                "alt": item.alt_text,
                "caption_html": item.caption_html,
                "credit": credit,
            }
        )
    return photos


def essay_html(story, photos) -> str:
    """The whole essay as feed readers show it: text, photos with captions, the licence."""
    by_id = {photo["photo_id"]: photo for photo in photos}
    items = []
    for item in story.items.all():
        if item.photo_id in by_id:
            items.append({"photo": by_id[item.photo_id]})
        elif not item.photo_id:
            items.append({"text": item.body_html})
    return render_to_string("syndication/_feed_content.html", {"story": story, "items": items})


class SameBytes:
    """A feed with no entries yet says it changed when its subject last did (else at the epoch),
    not at the moment it was rendered: the same feed is the same bytes, so its published file
    is rewritten only when it changes (filmstrip.published)."""

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return self.feed.get("since") or datetime(1970, 1, 1, tzinfo=UTC)


class MediaRssFeed(SameBytes, Rss201rev2Feed):
    """RSS 2.0 with a Media RSS entry for each photo (RSS allows one enclosure only)."""

    content_type = FEED_XML

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for photo in item.get("photos", []):
            handler.startElement(
                "media:content",
                {
                    "url": photo["url"],
                    "type": "image/jpeg",
                    "medium": "image",
                    "width": str(photo["width"]),
                    "height": str(photo["height"]),
                    "fileSize": str(photo["size"]),
                },
            )
            handler.addQuickElement("media:description", photo["alt"], {"type": "plain"})
            handler.addQuickElement("media:credit", photo["credit"].credit, {"role": "author"})
            handler.addQuickElement("media:copyright", photo["credit"].copyright)
            handler.addQuickElement(
                "media:license", "Licence", {"href": photo["credit"].licence_url}
            )
            handler.endElement("media:content")


class StyledAtomFeed(SameBytes, Atom1Feed):
    """Atom with its stylesheet, as Django writes one for RSS only."""

    content_type = FEED_XML

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class LicensedAtomFeed(StyledAtomFeed):
    """Atom with each entry's licence as a link (RFC 4946)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("licence_url"):
            handler.addQuickElement("link", "", {"rel": "license", "href": item["licence_url"]})


class StableJsonFeed(SameBytes, JsonFeed):
    """JSON Feed says no date of its own, but Feed's Last-Modified holds still all the same."""


class ReadableFeed(Feed):
    """A feed that reads as a page when opened in a browser, not as raw XML
    (static/filmstrip/feed.css)."""

    def stylesheets(self):
        return [Stylesheet(static("filmstrip/feed.css"), mimetype="text/css")]


class EssayFeed(ReadableFeed):
    feed_type: type[SyndicationFeed] = MediaRssFeed
    kind = "rss"

    def get_object(self, request, slug=None):
        return get_object_or_404(Tag, slug=slug) if slug else None

    def title(self, tag):
        return f"{current().site_title}: {tag.name}" if tag else current().site_title

    # Links are absolute under FILMSTRIP_SITE_URL, like every address the site hands out.
    def link(self, tag):
        return absolute(tag.get_absolute_url() if tag else reverse("stories:list"))

    def feed_url(self, tag):
        if tag:
            return absolute(reverse(f"syndication:tag_feed_{self.kind}", kwargs={"slug": tag.slug}))
        return absolute(reverse(f"syndication:feed_{self.kind}"))

    def item_link(self, story):
        return absolute(story.get_absolute_url())

    def description(self, tag):
        subject = f" about {tag.name}" if tag else ""
        return f"Photo essays{subject} from {current().site_title}"

    def items(self, tag):
        # Each essay's items, photos and renditions come in three queries for the whole feed.
        items = StoryItem.objects.select_related("photo")
        stories = (
            Story.objects.published()
            .select_related("author__author")
            .prefetch_related("tags", Prefetch("items", queryset=items))
        )
        if tag:
            stories = stories.filter(tags=tag)
        stories = list(stories.order_by("-published_at")[:LATEST])
        attach_renditions(i.photo for story in stories for i in story.items.all() if i.photo_id)
        return stories

    def _photos(self, story):
        if getattr(story, "_feed_photos", None) is None:
            story._feed_photos = feed_photos(story)
        return story._feed_photos

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return essay_html(story, self._photos(story))

    def item_author_name(self, story):
        return rights.author_name(story)

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at or story.published_at

    def item_categories(self, story):
        return [tag.name for tag in story.tags.all()]

    def item_copyright(self, story):
        return rights.plain(story.licence_html)

    def item_enclosures(self, story):
        cover = story.cover_item(self._photos(story), photo_id=lambda photo: photo["photo_id"])
        return [Enclosure(cover["url"], str(cover["size"]), "image/jpeg")] if cover else []

    def item_extra_kwargs(self, story):
        return {"photos": self._photos(story), "licence_url": rights.licence_url(story)}


class EssayAtomFeed(EssayFeed):
    feed_type = LicensedAtomFeed
    kind = "atom"
    subtitle = EssayFeed.description

    def item_enclosures(self, story):
        return [
            Enclosure(photo["url"], str(photo["size"]), "image/jpeg")
            for photo in self._photos(story)
        ]


class EssayJsonFeed(EssayFeed):
    """JSON Feed 1.1, with each photo as an attachment."""

    feed_type = StableJsonFeed
    kind = "json"
    language = "en"  # what it has always said (the RSS and Atom feeds say LANGUAGE_CODE)

    def stylesheets(self):
        return None  # JSON: a browser shows it as data, and no stylesheet applies

    def item_extra_kwargs(self, story):
        photos = self._photos(story)
        return {
            "summary": story.excerpt or rights.plain(story.intro_html)[:500],
            "image": photos[0]["url"] if photos else None,
            "attachments": [
                {
                    "url": photo["url"],
                    "mime_type": "image/jpeg",
                    "title": photo["credit"].title,
                    "size_in_bytes": photo["size"],
                }
                for photo in photos
            ],
        }


class CommentAtomFeed(StyledAtomFeed):
    pass


class CommentFeed(ReadableFeed):
    """The approved comments of one essay, newest first."""

    feed_type = CommentAtomFeed

    def get_object(self, request, slug):
        return get_object_or_404(Story.objects.published(), slug=slug)

    def feed_extra_kwargs(self, story):
        return {"since": story.published_at}

    def title(self, story):
        return f"Comments on “{story.title}”"

    def link(self, story):
        return absolute(f"{story.get_absolute_url()}#comments")

    def subtitle(self, story):
        return f"What readers say about {story.title}"

    def items(self, story):
        return story.comments.approved().order_by("-created_at")[:50]

    def item_title(self, comment):
        return f"{comment.author_name} on {comment.story.title}"

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        # (each comment's essay is the feed's one object: its address is reversed once)
        return absolute(f"{routes.story_path(comment.story)}#{comment.anchor}")

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created_at
