"""The JSON Feed says what the Atom feed says: both are one Feed class, two generators."""

import feedparser
import pytest

from filmstrip.stories.models import Tag

pytestmark = pytest.mark.django_db

SITE = "https://photos.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


@pytest.mark.parametrize("tag", [None, "Running", "Café au lait"])
def test_json_and_atom_feeds_agree(client, essay, tag):
    prefix = ""
    if tag:
        essay.tags.add(Tag.objects.create(name=tag))
        prefix = f"/tags/{Tag.objects.get(name=tag).slug}"
    atom_response = get(client, f"{prefix}/feed/atom/")
    json_response = get(client, f"{prefix}/feed/json/")
    atom, data = feedparser.parse(atom_response.content), json_response.json()

    # A tag with letters beyond ASCII: the feed's own address percent-encoded, as in Atom's.
    [self_link] = [link.href for link in atom.feed.links if link.rel == "self"]
    assert data["feed_url"] == self_link.replace("/feed/atom/", "/feed/json/")
    assert data["feed_url"].isascii()
    assert data["home_page_url"] == atom.feed.link
    assert data["title"] == atom.feed.title
    assert json_response["Last-Modified"] == atom_response["Last-Modified"]
    [entry], [item] = atom.entries, data["items"]
    assert item["url"] == item["id"] == entry.link
    assert item["title"] == entry.title
    assert item["date_published"] == essay.published_at.isoformat()
    assert item["authors"] == [{"name": entry.author}]
    assert item.get("tags", []) == [term.term for term in entry.get("tags", [])]
    attachments = [(a["url"], a["size_in_bytes"]) for a in item["attachments"]]
    assert attachments == [(e.href, int(e.length)) for e in entry.enclosures]
    assert item["image"] == attachments[0][0]
