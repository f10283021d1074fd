"""JSON Feed 1.1 as a Django feed generator, beside the RSS and Atom ones Django ships.

A ``Feed`` whose ``feed_type`` is :class:`JsonFeed` writes JSON from the same fields it gives
every generator; JSON Feed's own item fields come as extra keyword arguments (``summary``,
``image``, ``attachments``: dicts in JSON Feed's vocabulary). An item field with no value is
left out, as the format asks.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.feedgenerator import SyndicationFeed

VERSION = "https://jsonfeed.org/version/1.1"


class JsonFeed(SyndicationFeed):
    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        # ``encoding`` is the caller's business: ``outfile`` takes text, as with RSS and Atom.
        outfile.write(json.dumps(self.document(), cls=DjangoJSONEncoder, ensure_ascii=False))

    def document(self) -> dict:
        return {
            "version": VERSION,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self.item_document(item) for item in self.items],
        }

    def item_document(self, item) -> dict:
        modified = item["updateddate"] or item["pubdate"]
        name = item["author_name"]
        document = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["description"],
            "summary": item.get("summary"),
            "date_published": item["pubdate"] and item["pubdate"].isoformat(),
            "date_modified": modified and modified.isoformat(),
            "authors": [{"name": name}] if name else [],
            "tags": list(item["categories"] or ()),
            "attachments": _attachments(item),
            "image": item.get("image"),
        }
        return {key: value for key, value in document.items() if value not in ("", [], None)}


def _attachments(item) -> list[dict]:
    """The item's ``attachments``, else its enclosures in JSON Feed's words."""
    if item.get("attachments") is not None:
        return item["attachments"]
    return [
        {
            "url": enclosure.url,
            "mime_type": enclosure.mime_type,
            "size_in_bytes": int(enclosure.length),
        }
        for enclosure in item["enclosures"] or []
    ]
