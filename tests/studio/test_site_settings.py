"""The studio's Site settings page over HTTP: staff only, CSRF-checked, saved field by field,
refusals explained by field, and a change readers see rebuilds the published site."""

import json

import mf2py
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from filmstrip.published.models import PendingRebuild
from filmstrip.published.tasks import run_pending
from filmstrip.sitesettings.models import SiteSettings
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db
PAGE, SAVE = "/studio/settings", "/studio/settings/save"


def save(client, **data):
    return client.post(SAVE, json.dumps(data), content_type="application/json")


def test_only_staff_see_or_change_the_page(client):
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    assert save(client, site_title="Taken over").status_code == 302
    reader = User.objects.create_user("ann", "ann@example.org", "pw")
    client.force_login(reader)
    assert client.get(PAGE).status_code == 302
    assert save(client, site_title="Taken over").status_code == 302
    assert not SiteSettings.objects.exists()


def test_a_save_without_the_csrf_token_is_refused(author):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    assert save(browser, site_title="Forged").status_code == 403
    assert not SiteSettings.objects.exists()


def test_the_page_shows_each_setting_as_it_is(client, author, settings):
    settings.FILMSTRIP_SITE_TITLE = "Harbour Notes"
    settings.FILMSTRIP_COMMENTS_BLOCKLIST = ("casino",)
    html = BeautifulSoup(client.get(PAGE).content, "html.parser")
    assert html.select_one('input[name="site_title"]')["value"] == "Harbour Notes"
    assert html.select_one('textarea[name="comment_blocklist"]').text.strip() == "casino"
    assert html.select_one('input[name="hold_first_comments"]').has_attr("checked")
    assert not html.select_one('input[name="require_signin"]').has_attr("checked")
    label = html.select_one('label[for="setting-site_title"]').text
    assert label == "Site title"
    assert html.select_one(".site-settings")["data-save"] == SAVE
    assert client.get("/studio/").content.decode().count(f'href="{PAGE}"') == 1


def test_a_refused_value_is_explained_by_field_and_nothing_is_saved(client, author):
    response = save(client, tagline="Walks", site_title=" ", comment_max_links="many")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "site_title": ["The site needs a title."],
        "comment_max_links": ["Write a whole number of links."],
    }
    assert body["error"] == (
        "Site title: The site needs a title. "
        "Links allowed in a comment: Write a whole number of links."
    )
    assert not SiteSettings.objects.exists()
    for bad in (b"{", b"[1, 2]", "\ud800".encode("utf-8", "surrogatepass")):
        response = client.post(SAVE, bad, content_type="application/json")
        assert response.status_code == 400 and "JSON object" in response.json()["error"]


def test_a_new_title_rebuilds_the_published_site_with_it(client, author, settings, tmp_path):
    settings.FILMSTRIP_PUBLISHED_DIR = tmp_path / "published"
    publishing.publish(Story.objects.create(title="Harbour at dawn"))
    run_pending(everything=True)
    PendingRebuild.objects.all().delete()

    response = save(
        client,
        site_title="Notes from the Harbour",
        tagline="Walks by the sea",
        author_name="Ed Marsh",
        author_bio="Photographs the coast in winter.",
    )
    assert response.status_code == 200
    assert sorted(response.json()["saved"]) == [
        "author_bio",
        "author_name",
        "site_title",
        "tagline",
    ]
    assert list(PendingRebuild.objects.values_list("target", flat=True)) == ["all"]
    run_pending()
    for path in ("index.html", "harbour-at-dawn/index.html"):
        html = (tmp_path / "published" / path).read_text()
        page = BeautifulSoup(html, "html.parser")
        assert page.select_one(".site-title").text == "Notes from the Harbour"
        assert page.select_one(".site-tagline").text == "Walks by the sea"
        assert "Notes from the Harbour" in page.title.text
        # The h-card, as a microformats parser (not ours) reads it.
        cards = [i for i in mf2py.parse(doc=html)["items"] if "h-card" in i["type"]]
        assert cards[-1]["properties"]["name"] == ["Ed Marsh"]
        assert cards[-1]["properties"]["note"] == ["Photographs the coast in winter."]
    essay = BeautifulSoup(
        (tmp_path / "published/harbour-at-dawn/index.html").read_text(), "html.parser"
    )
    assert essay.select_one(".p-author.h-card").text == "Ed Marsh"  # no name of their own


def test_a_change_readers_do_not_see_rebuilds_nothing(client, author):
    before = set(PendingRebuild.objects.values_list("pk", flat=True))  # others' (PostgreSQL)
    response = save(client, hold_first_comments=False, comment_blocklist="casino\nloans")
    assert response.status_code == 200 and response.json()["rebuilding"] is False
    assert set(PendingRebuild.objects.values_list("pk", flat=True)) == before
    assert SiteSettings.objects.get().blocklist() == ["casino", "loans"]
