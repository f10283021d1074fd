"""JSON Feed as a Django feed generator: what any Feed gives it, written as JSON Feed 1.1."""

import json
from datetime import UTC, datetime

from django.utils.feedgenerator import Enclosure

from filmstrip.syndication.jsonfeed import VERSION, JsonFeed

PUBLISHED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def feed(**item) -> dict:
    generator = JsonFeed(
        title="Walks",
        link="https://photos.example.org/",
        description="Photo essays",
        language="en",
        feed_url="https://photos.example.org/feed/json/",
    )
    generator.add_item(
        **{
            "title": "Coast",
            "link": "https://photos.example.org/coast/",
            "description": "<p>A week on the coast</p>",
            **item,
        }
    )
    assert generator.content_type == "application/feed+json; charset=utf-8"
    return json.loads(generator.writeString("utf-8"))


def test_the_feed_and_an_item_in_json_feeds_words():
    data = feed(
        pubdate=PUBLISHED,
        author_name="Ann Ó Briain",
        categories=["Sea", "Walking"],
        summary="A week",
        image="https://photos.example.org/media/r/1.jpg",
    )
    assert {key: data[key] for key in data if key != "items"} == {
        "version": VERSION,
        "title": "Walks",
        "home_page_url": "https://photos.example.org/",
        "feed_url": "https://photos.example.org/feed/json/",
        "description": "Photo essays",
        "language": "en",
    }
    assert data["items"] == [
        {
            "id": "https://photos.example.org/coast/",
            "url": "https://photos.example.org/coast/",
            "title": "Coast",
            "content_html": "<p>A week on the coast</p>",
            "summary": "A week",
            "date_published": "2026-03-01T09:30:00+00:00",
            "date_modified": "2026-03-01T09:30:00+00:00",
            "authors": [{"name": "Ann Ó Briain"}],
            "tags": ["Sea", "Walking"],
            "image": "https://photos.example.org/media/r/1.jpg",
        }
    ]


def test_fields_without_a_value_are_left_out():
    [item] = feed(unique_id="tag:example.org,2026:coast", author_name="", categories=[])["items"]
    assert item == {
        "id": "tag:example.org,2026:coast",
        "url": "https://photos.example.org/coast/",
        "title": "Coast",
        "content_html": "<p>A week on the coast</p>",
    }


def test_attachments_as_given_else_the_enclosures():
    given = [{"url": "https://x.example/1.jpg", "mime_type": "image/jpeg", "title": "One"}]
    enclosures = [Enclosure("https://x.example/2.jpg", "2048", "image/jpeg")]
    [item] = feed(attachments=given, enclosures=enclosures)["items"]
    assert item["attachments"] == given
    [item] = feed(enclosures=enclosures)["items"]
    assert item["attachments"] == [
        {"url": "https://x.example/2.jpg", "mime_type": "image/jpeg", "size_in_bytes": 2048}
    ]
