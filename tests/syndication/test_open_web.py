"""The essay as a citizen of the web: feeds, linked data, microformats, oEmbed, sitemap.

Parsed by independent tools (feedparser, jsonschema with JSON Feed's published schema, mf2py,
extruct), asserting the fields readers' software relies on.
"""

import json
import xml.etree.ElementTree as ET  # noqa: S405 (our own output)

import extruct
import feedparser
import mf2py
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from filmstrip.comments.models import Comment
from filmstrip.stories.models import Story, StoryItem, Tag
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db

SITE = "https://photos.example.org"
PD = "https://creativecommons.org/publicdomain/zero/1.0/"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def tagged(essay):
    essay.tags.add(Tag.objects.create(name="Running"))
    essay.licence_url = PD
    essay.show_photo_details = True
    essay.save()
    Comment.objects.create(
        story=essay,
        author_name="Cy <script>alert(1)</script>",
        author_email="cy@example.org",
        body="Great *run* <script>alert(2)</script>",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        story=essay, author_name="Held", author_email="h@example.org", body="Not yet"
    )
    return essay


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_rss_and_atom_carry_every_photo_and_the_licence(client, tagged):
    for url in ("/feed/rss/", "/feed/atom/", "/tags/running/feed/rss/", "/tags/running/feed/atom/"):
        # Unsanitised, to see exactly what the feed says (feedparser drops <figure>).
        feed = feedparser.parse(get(client, url).content, sanitize_html=False)
        assert feed.bozo == 0, (url, feed.get("bozo_exception"))
        [entry] = feed.entries
        assert entry.title == "A Half Marathon in Pyongyang"
        assert entry.link == f"{SITE}/a-half-marathon-in-pyongyang/"
        assert entry.tags[0].term == "Running"
        page = BeautifulSoup(entry.summary, "html.parser")
        images = page.select("figure img")
        assert len(images) == 3 and all(img["src"].startswith(f"{SITE}/media/r/") for img in images)
        assert [img["alt"] for img in images] == ["Alt 0", "Alt 1", "Alt 2"]
        assert "please link back to this page" in page.get_text()
    rss = feedparser.parse(get(client, "/feed/rss/").content).entries[0]
    assert len(rss.media_content) == 3 and rss.media_content[0]["medium"] == "image"
    assert len(rss.enclosures) == 1 and rss.enclosures[0].type == "image/jpeg"
    atom = feedparser.parse(get(client, "/feed/atom/").content).entries[0]
    assert len(atom.enclosures) == 3
    assert [link.href for link in atom.links if link.rel == "license"] == [PD]


def test_tag_feeds_hold_only_their_essays(client, tagged):
    Tag.objects.create(name="Mountains")
    assert feedparser.parse(get(client, "/tags/mountains/feed/atom/").content).entries == []
    assert client.get("/tags/nothing-here/feed/rss/").status_code == 404
    page = BeautifulSoup(get(client, "/tags/running/").content, "html.parser")
    assert [a.get_text() for a in page.select(".story-card h2")] == [tagged.title]


def test_json_feed_matches_the_published_schema(client, tagged):
    schemas = corpus_file("other/jsonfeed-schemas")
    v1, v11 = (json.loads((schemas / name).read_text()) for name in ("feed-1.json", "feed.json"))
    registry = Registry().with_resources(
        [(schema["id"], Resource.from_contents(schema, DRAFT4)) for schema in (v1, v11)]
    )
    for url in ("/feed/json/", "/tags/running/feed/json/"):
        response = get(client, url)
        assert response["Content-Type"].startswith("application/feed+json")
        data = response.json()
        errors = list(Draft4Validator(v11, registry=registry).iter_errors(data))
        assert errors == [], [e.message for e in errors]
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        [item] = data["items"]
        assert len(item["attachments"]) == 3 and item["tags"] == ["Running"]
        assert item["attachments"][0]["mime_type"] == "image/jpeg"


def test_the_comment_feed_has_approved_comments_only_and_no_markup_from_them(client, tagged):
    response = get(client, f"{tagged.get_absolute_url()}comments/feed/")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    [entry] = feed.entries
    assert entry.link.endswith(f"#comment-{tagged.comments.approved().get().pk}")
    assert b"<script" not in response.content and b"Not yet" not in response.content


def test_microformats_describe_the_essay_its_photos_and_comments(client, tagged):
    html = get(client, tagged.get_absolute_url()).content.decode()
    parsed = mf2py.parse(doc=html, url=f"{SITE}{tagged.get_absolute_url()}")
    [entry] = [item for item in parsed["items"] if "h-entry" in item["type"]]
    props = entry["properties"]
    assert props["name"] == ["A Half Marathon in Pyongyang"]
    assert props["url"] == [f"{SITE}/a-half-marathon-in-pyongyang/"]
    assert props["published"][0].startswith(str(tagged.published_at.date()))
    assert props["author"][0]["type"] == ["h-card"]
    assert props["author"][0]["properties"]["name"] == ["Filmstrip"]  # never the login name
    assert len(props["photo"]) == 3
    assert props["category"] == ["Running"]
    [comment] = props["comment"]
    assert comment["type"] == ["h-cite"]
    assert comment["properties"]["author"][0]["properties"]["name"] == [
        "Cy <script>alert(1)</script>"
    ]


def test_opengraph_and_json_ld_give_the_rights_of_every_photo(client, tagged):
    url = f"{SITE}{tagged.get_absolute_url()}"
    html = get(client, tagged.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url=url, syntaxes=["opengraph", "json-ld"], uniform=True)
    [og] = data["opengraph"]
    assert og["og:title"] == tagged.title and og["og:url"] == url
    assert og["og:image"].startswith(f"{SITE}/media/r/") and og["@type"] == "article"
    [article] = data["json-ld"]
    assert article["@type"] == "Article" and article["headline"] == tagged.title
    assert article["license"] == PD
    assert len(article["image"]) == 3
    photos = [item.photo for item in tagged.items.filter(kind="photo")]
    for number, (image, photo) in enumerate(zip(article["image"], photos, strict=True), 1):
        creator = photo.creator or "Filmstrip"  # the file's creator, else the essay's author
        assert image["@type"] == "ImageObject"
        assert image["license"] == PD
        assert image["creator"] == {"@type": "Person", "name": creator}
        assert image["creditText"] == (photo.credit or creator)
        notice = image["copyrightNotice"]
        assert notice == photo.copyright or notice.startswith("©")
        assert image["acquireLicensePage"].endswith("#use")
        assert image["contentUrl"].startswith(f"{SITE}/media/r/")
        assert image["name"] == f"Caption {number - 1} with a link"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('a[rel="license"]')["href"] == PD


def test_json_ld_cannot_be_closed_by_a_caption(client, tagged):
    item = tagged.items.filter(kind="photo").first()
    item.caption = "</script><script>alert(1)</script>"
    item.save()
    html = get(client, tagged.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select('script[type="application/ld+json"]')) == 1
    assert "alert(1)" not in "".join(s.get_text() for s in soup.select("script:not([type])"))


def test_the_photo_page_shows_details_credit_and_neighbours(client, tagged):
    items = list(tagged.items.filter(kind="photo"))
    second = items[1]
    second.caption = 'A <b>bold</b> claim & "quotes"'
    second.save()
    page = BeautifulSoup(
        get(client, f"{tagged.get_absolute_url()}photos/{second.photo_id}/").content, "html.parser"
    )
    assert page.select_one(".photo-nav").get_text(" ", strip=True).count("Photo 2 of 3") == 1
    assert page.select_one('a[rel="prev"]')["href"].endswith(f"/photos/{items[0].photo_id}/")
    assert page.select_one('a[rel="next"]')["href"].endswith(f"/photos/{items[2].photo_id}/")
    facts = dict(
        zip(
            [dt.get_text() for dt in page.select(".photo-facts dt")],
            [dd.get_text() for dd in page.select(".photo-facts dd")],
            strict=True,
        )
    )
    photo = second.photo
    assert facts.get("ISO") == (str(photo.iso) if photo.iso else None)
    snippet = page.select_one("#credit-html").get_text()
    credit = BeautifulSoup(snippet, "html.parser")
    assert not credit.select("b, script")
    link = credit.select_one("a")
    assert link["href"] == f"{SITE}{tagged.get_absolute_url()}photos/{second.photo_id}/"
    assert link.get_text().startswith("A bold claim & ")
    assert credit.select_one('a[rel="license"]')["href"] == PD

    tagged.show_photo_details = False
    tagged.save()
    url = f"{tagged.get_absolute_url()}photos/{second.photo_id}/"
    assert not BeautifulSoup(get(client, url).content, "html.parser").select(".photo-facts")


def test_photo_pages_of_other_essays_or_drafts_are_not_found(client, tagged, ready_photo):
    stranger = ready_photo("photos/immich-test-assets/metadata/rating/mongolels.jpg")
    assert client.get(f"{tagged.get_absolute_url()}photos/{stranger.pk}/").status_code == 404
    draft = Story.objects.create(title="Secret", author=User.objects.create_user("d"))
    StoryItem.objects.create(story=draft, photo=stranger)
    assert client.get(f"/{draft.slug}/photos/{stranger.pk}/").status_code == 404


def test_oembed_for_essays_and_photos(client, tagged):
    essay_url = f"{SITE}{tagged.get_absolute_url()}"
    rich = get(client, f"/oembed?url={essay_url}").json()
    assert rich["type"] == "rich" and rich["version"] == "1.0" and rich["title"] == tagged.title
    assert BeautifulSoup(rich["html"], "html.parser").select_one("a")["href"] == essay_url
    photo_id = tagged.items.filter(kind="photo").first().photo_id
    photo_url = f"{essay_url}photos/{photo_id}/"
    photo = get(client, f"/oembed?url={photo_url}&maxwidth=500").json()
    assert photo["type"] == "photo" and photo["width"] <= 500 and photo["url"].startswith(SITE)
    xml = ET.fromstring(get(client, f"/oembed?url={photo_url}&format=xml").content)  # noqa: S314
    assert xml.tag == "oembed" and xml.findtext("type") == "photo"
    rich_xml = ET.fromstring(get(client, f"/oembed?url={essay_url}&format=xml").content)  # noqa: S314
    embedded = BeautifulSoup(rich_xml.findtext("html"), "html.parser")
    assert embedded.select_one("blockquote a")["href"] == essay_url
    page = BeautifulSoup(get(client, tagged.get_absolute_url()).content, "html.parser")
    discovery = page.select_one('link[type="application/json+oembed"]')["href"]
    assert discovery.startswith(f"{SITE}/oembed?url=")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("url=https://elsewhere.example/a-half-marathon-in-pyongyang/", 404),
        (f"url={SITE}/no-such-essay/", 404),
        (f"url={SITE}/secret-draft/", 404),
        (f"url={SITE}/admin/", 404),
        ("url=", 404),
        (f"url={SITE}/a-half-marathon-in-pyongyang/&format=yaml", 501),
        (f"url={SITE}/a-half-marathon-in-pyongyang/&maxwidth=-4", 400),
    ],
)
def test_oembed_refuses_what_it_must_not_describe(client, tagged, query, status):
    Story.objects.create(title="Secret draft", slug="secret-draft")
    response = client.get(f"/oembed?{query}")
    assert response.status_code == status
    assert b"Secret" not in response.content


def test_sitemap_lists_published_essays_with_their_images_and_robots_points_to_it(client, tagged):
    Story.objects.create(title="Secret draft")
    sitemap = get(client, "/sitemap.xml").content.decode()
    root = ET.fromstring(sitemap)  # noqa: S314
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "image": "http://www.google.com/schemas/sitemap-image/1.1",
    }
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert f"{SITE}/a-half-marathon-in-pyongyang/" in locations
    assert f"{SITE}/tags/running/" in locations
    assert "secret" not in sitemap
    assert len(root.findall("s:url/image:image/image:loc", ns)) == 3
    robots = get(client, "/robots.txt").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_an_essay_cannot_take_an_address_the_site_uses(client):
    for title in ("Tags", "Feed", "Admin"):
        story = Story.objects.create(title=title)
        assert story.slug not in ("tags", "feed", "admin")
