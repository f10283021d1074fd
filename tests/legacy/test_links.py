"""Old links through the real URL routing: each form WordPress readers may follow leads on (301)
to what now stands there, or says the essay has gone (410), as its own address would."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filmstrip.legacy.links import remember, remember_attachment, remember_post, remember_term
from filmstrip.legacy.models import OldAddress
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem, Tag

POSTED = date(2014, 4, 28)
POST_ID, ATTACHMENT_ID = 12, 34
FILE = "https://ann.files.wordpress.com/2014/04/finish-line.jpg"


@pytest.fixture
def site(db, small_photo):
    """An essay imported from post 12 (once "old-title"), with attachment 34, and its tag."""
    story = Story.objects.create(title="Pyongyang", slug="pyongyang")
    photo = small_photo("cactus.jpg")
    StoryItem.objects.create(story=story, photo=photo, alt_text="A cactus")
    tag = Tag.objects.create(name="Travel")
    story.tags.add(tag)
    publishing.publish(story, when=timezone.now() - timedelta(days=1), quietly=True)
    link = "https://ann.example/2014/04/28/a-marathon/"
    remember_post(story, post_id=POST_ID, link=link, slug="a-marathon", date=POSTED,
                  old_slugs=["old-title"])  # fmt: skip
    remember_attachment(
        photo,
        story,
        attachment_id=ATTACHMENT_ID,
        link="https://ann.example/2014/04/28/a-marathon/finish-line/",
        file_urls=[FILE, "https://ann.example/wp-content/uploads/2014/04/finish-line-300x200.jpg"],
    )
    remember_term(tag, taxonomy="category", slug="travels-abroad")
    story.photo = photo
    story.tag = tag
    return story


ESSAY = "/pyongyang/"
PHOTO_PAGE = "/pyongyang/photos/{photo}/"
FORMS = [
    # (what a reader follows, where it leads)
    ("/2014/04/28/a-marathon/", ESSAY),  # day and name
    ("/2014/04/a-marathon/", ESSAY),  # month and name
    ("/a-marathon/", ESSAY),  # post name
    ("/archives/12", ESSAY),  # numeric
    ("/?p=12", ESSAY),
    ("/?page_id=12", ESSAY),
    ("/index.php?p=12", ESSAY),
    ("/2014/04/28/old-title/", ESSAY),  # _wp_old_slug
    ("/old-title/", ESSAY),
    ("/?attachment_id=34", PHOTO_PAGE),
    ("/2014/04/28/a-marathon/finish-line/", PHOTO_PAGE),  # attachment page
    ("/wp-content/uploads/2014/04/finish-line.jpg", "largest"),
    ("/wp-content/uploads/2014/04/finish-line-1024x683.jpg", "largest"),
    ("/2014/04/finish-line.jpg", "largest"),  # files.wordpress.com's path, on this host
    ("/files/2014/04/finish-line.jpg", "largest"),
    ("/category/travels-abroad/", "/tags/travel/"),  # remembered under the term's own slug
    ("/category/travels-abroad/feed/", "/tags/travel/feed/rss/"),
    ("/category/travel/", "/tags/travel/"),  # any site's: by the tag's slug
    ("/tag/travel/", "/tags/travel/"),
    ("/tag/travel/feed/", "/tags/travel/feed/rss/"),
    ("/feed/", "/feed/rss/"),
    ("/feed/rss2/", "/feed/rss/"),
]


def _expected(site, where: str) -> str:
    if where == "largest":
        return site.photo.largest().url
    return where.format(photo=site.photo.pk)


@pytest.mark.parametrize(("old", "where"), FORMS)
def test_each_old_link_leads_on(client, site, old, where):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == _expected(site, where)
    assert client.get(response["Location"]).status_code == 200


def test_links_follow_the_essay_when_it_is_renamed(client, site):
    site.slug = "a-half-marathon"
    site.save()
    assert client.get("/?p=12")["Location"] == "/a-half-marathon/"
    assert (
        client.get("/?attachment_id=34")["Location"] == f"/a-half-marathon/photos/{site.photo.pk}/"
    )


def test_a_withdrawn_essay_is_gone_and_its_photos_with_it(client, site):
    publishing.unpublish(site)
    for old in ("/?p=12", "/2014/04/28/a-marathon/", "/?attachment_id=34",
                "/wp-content/uploads/2014/04/finish-line.jpg"):  # fmt: skip
        response = client.get(old)
        assert response.status_code == 410, old
        assert client.get(ESSAY).status_code == 410  # as its own address answers


def test_a_deleted_essay_is_gone(client, site):
    photo = site.photo
    publishing.delete(site)
    assert client.get("/?p=12").status_code == 410
    assert client.get("/wp-content/uploads/2014/04/finish-line.jpg").status_code == 410
    assert photo.pk  # the photo outlives the essay, but no reader may fetch it


def test_a_scheduled_essay_is_not_found_yet(client, small_photo, db):
    story = Story.objects.create(title="Soon", slug="soon")
    publishing.publish(story, when=timezone.now() + timedelta(days=3), quietly=True)
    remember_post(story, post_id=5, slug="soon", date=POSTED)
    assert client.get("/2014/04/28/soon/").status_code == 404
    assert client.get("/?p=5").status_code == 200  # the home page, as for any unknown id


def test_unknown_ids_and_other_queries_get_the_home_page(client, site):
    home = client.get("/")
    for query in ("/?p=999", "/?utm_source=feed", "/?page=2"):
        response = client.get(query)
        assert response.status_code == 200, query
        assert response.content == home.content


def test_ordinary_requests_never_look_up_old_links(client, site):
    for path in ("/", "/?utm_source=x", ESSAY, "/tags/travel/", "/feed/rss/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert not [q for q in queries if "legacy_oldaddress" in q["sql"]], path
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/no-such-thing/").status_code == 404
    assert [q for q in queries if "legacy_oldaddress" in q["sql"]]


def test_a_post_request_is_left_alone(client, site):
    assert client.post("/2014/04/28/a-marathon/").status_code in (403, 404, 405)


def test_remembering_again_writes_nothing(site):
    link = "https://ann.example/2014/04/28/a-marathon/"
    again = remember_post(site, post_id=POST_ID, link=link, slug="a-marathon", date=POSTED,
                          old_slugs=["old-title"])  # fmt: skip
    assert again == 0
    assert OldAddress.objects.filter(story=site, leads_to="essay").count() == 7


def test_the_latest_import_wins(site, db):
    other = Story.objects.create(title="Other", slug="other")
    before = remember("/?p=12", site)
    moved = remember("https://ann.example/?p=12", other)
    assert moved.pk == before.pk and moved.story == other


@pytest.mark.parametrize(
    "target",
    [{}, {"file": True}, {"tag_and_story": True}],
    ids=["nothing", "file-without-photo", "two-targets"],
)
def test_a_target_must_be_one_thing(site, target):
    if target.pop("tag_and_story", False):
        target = {"story": site, "tag": site.tag}
    with pytest.raises(ValueError):
        remember("/somewhere/", **target)


def test_the_home_page_itself_is_not_an_old_link(site):
    assert remember("https://ann.example/", site) is None
    assert remember(None, site) is None  # an attachment without a file address
    assert remember("https://ann.example/?p=12", site) is not None


def test_the_author_finds_old_addresses_in_the_admin(admin_client, site):
    response = admin_client.get("/admin/legacy/oldaddress/", {"q": "a-marathon"})
    assert response.status_code == 200
    assert b"/2014/04/28/a-marathon" in response.content
    assert b"/?p=12" not in response.content


def test_a_dated_permalink_finds_an_essay_of_that_slug_without_an_import(client, site):
    OldAddress.objects.all().delete()
    response = client.get("/2009/11/03/pyongyang/")
    assert (response.status_code, response["Location"]) == (301, ESSAY)
    assert client.get("/2009/11/03/no-such-essay/").status_code == 404


def test_other_taxonomies_are_passed_over(site):
    assert remember_term(site.tag, taxonomy="post_format", slug="post-format-gallery") == 0
    assert remember_term(site.tag, taxonomy="post_tag", slug="north-korea") == 2
    assert remember_term(site.tag, taxonomy="post_tag", slug="north-korea") == 0


def test_an_old_link_costs_one_query(client, site, django_assert_num_queries):
    for old in ("/?p=12", "/2014/04/28/a-marathon/"):
        with django_assert_num_queries(1):
            assert client.get(old).status_code == 301


def test_a_custom_structure_keeps_its_old_slugs(client, site):
    written = remember_post(site, post_id=40, link="https://ann.example/blog/running/a-race/",
                            slug="a-race", old_slugs=["a-race-in-pyongyang", r"\g<0>"])  # fmt: skip
    assert written == 7  # the link, /?p=40, /<slug>/ for three slugs, the link for two old ones
    # A slug is put into the link as it is, never read as a pattern's replacement.
    assert OldAddress.objects.filter(path=r"/blog/running/\g<0>").exists()
    for old in ("/blog/running/a-race/", "/blog/running/a-race-in-pyongyang/", "/a-race/"):
        assert client.get(old)["Location"] == ESSAY, old
