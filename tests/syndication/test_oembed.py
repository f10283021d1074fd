"""oEmbed's three steps on their own: reading the query, and writing the answer."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 (our own output)

import pytest
from django.http import Http404, QueryDict

from filmstrip.syndication.oembed import Asked, Unanswerable, parse, serialise

SITE = "https://photos.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        (f"url={SITE}/walks/", Asked("walks", None, "json", None, None)),
        (f"url={SITE}/walks/%3Fpage=2%23top", Asked("walks", None, "json", None, None)),
        (
            f"url={SITE}/walks/photos/7/&format=xml&maxwidth=500&maxheight=40",
            Asked("walks", 7, "xml", 500, 40),
        ),
    ],
)
def test_parse_reads_what_was_asked(query, asked):
    assert parse(QueryDict(query)) == asked


@pytest.mark.parametrize(
    ("query", "status"),
    [
        (f"url={SITE}/walks/&format=yaml", 501),
        ("url=https://elsewhere.example/walks/&format=yaml", 501),  # the format is read first
        (f"url={SITE}/walks/&maxwidth=-4", 400),
        (f"url={SITE}/walks/&maxheight=0", 400),
        (f"url={SITE}/walks/&maxwidth=5.5", 400),
    ],
)
def test_parse_says_why_it_cannot_answer(query, status):
    with pytest.raises(Unanswerable) as refused:
        parse(QueryDict(query))
    assert refused.value.status == status and refused.value.message


@pytest.mark.parametrize(
    "query",
    [
        "url=",
        "url=https://elsewhere.example/walks/",
        f"url={SITE.replace('https', 'http')}/walks/",
        f"url={SITE}/admin/",
        f"url={SITE}/tags/sea/",
        f"url={SITE}/walks/photos/7/original",
        "url=https://elsewhere.example/walks/&maxwidth=-4",  # not ours: 404 before the bounds
    ],
)
def test_parse_knows_only_this_sites_essays_and_photos(query):
    with pytest.raises(Http404):
        parse(QueryDict(query))


def test_serialise_writes_the_same_fields_as_json_or_xml():
    fields = {"version": "1.0", "type": "photo", "title": "Fox & hound <1>", "width": 500}
    as_json = serialise(fields, "json")
    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content) == fields
    as_xml = serialise(fields, "xml")
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(as_xml.content)  # noqa: S314
    assert root.tag == "oembed"
    assert {child.tag: child.text for child in root} == {k: str(v) for k, v in fields.items()}
