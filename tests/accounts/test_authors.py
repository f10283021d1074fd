"""The name an essay is published under is one its author chose, never their login name."""

import json

import pytest
import pyvips
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command

from filmstrip.conf import filmstrip_settings
from filmstrip.photos.intake import add_photo
from filmstrip.photos.processing import process_photo
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem, Tag

pytestmark = pytest.mark.django_db

LOGIN = "zq-login-8c1"  # distinctive, so any trace of it on a page is found
SITE = "https://photos.example.org"


@pytest.fixture
def essay(tmp_path, settings):
    settings.SITE_URL = SITE
    author = get_user_model().objects.create_user(LOGIN, password="pw", is_staff=True)
    path = tmp_path / "dunes.jpg"
    pyvips.Image.xyz(320, 200).extract_band(0).cast("uchar").write_to_file(str(path))
    photo, _ = add_photo(path)
    process_photo(photo.pk)
    story = Story.objects.create(title="Dunes", author=author, intro="Sand.")
    StoryItem.objects.create(story=story, position=0, photo=photo, alt_text="Dunes at dusk")
    story.tags.add(Tag.objects.create(name="Desert"))
    publishing.publish(story)
    return story


def published_texts(client, story) -> dict[str, str]:
    """Every public page, feed and embed that names the essay's author."""
    essay = story.get_absolute_url()
    photo = f"{essay}photos/{story.items.get().photo_id}/"
    urls = [
        "/",
        essay,
        photo,
        "/tags/desert/",
        "/feed/rss/",
        "/feed/atom/",
        "/feed/json/",
        "/tags/desert/feed/atom/",
        f"{essay}comments/feed/",
        "/sitemap.xml",
        f"/oembed?url={SITE}{essay}",
        f"/oembed?url={SITE}{essay}&format=xml",
        f"/oembed?url={SITE}{photo}",
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def json_ld_author(client, story) -> str:
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)["author"][
        "name"
    ]


def test_no_page_feed_or_embed_names_the_login_name(client, essay):
    for url, text in published_texts(client, essay).items():
        assert LOGIN not in text, f"{url} publishes the login name"
    assert json_ld_author(client, essay) == filmstrip_settings.SITE_TITLE


def test_the_display_name_set_on_the_command_line_is_published(client, essay):
    call_command("author", LOGIN, "--display-name", "Ana Lopes")
    texts = published_texts(client, essay)
    assert all(LOGIN not in text for text in texts.values())
    assert json_ld_author(client, essay) == "Ana Lopes"
    essay_url = f"/oembed?url={SITE}{essay.get_absolute_url()}"
    assert json.loads(texts[essay_url])["author_name"] == "Ana Lopes"
    assert "<author><name>Ana Lopes</name>" in texts["/feed/atom/"]
    assert json.loads(texts["/feed/json/"])["items"][0]["authors"] == [{"name": "Ana Lopes"}]


def test_the_display_name_is_set_in_the_admin(admin_client, essay):
    user = essay.author
    url = f"/admin/auth/user/{user.pk}/change/"
    form = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert form.select_one('input[name="author-0-display_name"]') is not None
    data = {
        field["name"]: field.get("value", "")
        for field in form.select("form#user_form input[name]")
        if field.get("type") not in ("checkbox", "submit")
    }
    data.update({"author-0-display_name": "Ana Lopes", "is_staff": "on", "is_active": "on"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert json_ld_author(admin_client, essay) == "Ana Lopes"


def test_the_display_name_is_set_in_the_studio(client, essay):
    client.force_login(essay.author)  # staff, as every author is
    page = BeautifulSoup(client.get("/studio/").content, "html.parser")
    assert page.select_one("form.author-name input[name=display_name]")["value"] == ""
    response = client.post("/studio/author", {"display_name": "  Ana Lopes "})
    assert response.status_code == 302
    page = BeautifulSoup(client.get("/studio/").content, "html.parser")
    assert page.select_one("#display-name")["value"] == "Ana Lopes"
    client.logout()
    assert json_ld_author(client, essay) == "Ana Lopes"


def test_a_display_name_the_field_refuses_is_answered_with_the_reason(admin_client, essay):
    response = admin_client.post("/studio/author", {"display_name": "x" * 101})
    assert response.status_code == 400 and "at most 100 characters" in response.json()["error"]
