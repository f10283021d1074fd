"""The studio's Site settings in chromium on a real `filmstrip serve`: the author renames the
site and stops holding first comments; the published page (its file, as served) shows the new
title within seconds, and the next guest's comment goes straight onto the page."""

import os
import urllib.request

import pytest

from tests.browser.conftest import (
    FILMSTRIP,
    QUICK_READER,
    READING_MS,
    axe_violations,
    filmstrip,
    free_port,
    post_comment,
    reload_until,
    running,
)
from tests.browser.test_studio import signed_in
from tests.conftest import migrated

pytestmark = pytest.mark.browser

ESSAY = """
from filmstrip.stories import publishing
from filmstrip.stories.models import Story, StoryItem
story = Story.objects.create(title="Harbour at dawn")
StoryItem.objects.create(story=story, position=0, kind="text", body="The boats come in.")
publishing.publish(story)
"""
TITLE = "Notes from the Harbour"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("site-settings")
    env = {**os.environ, **QUICK_READER, "FILMSTRIP_DATA_DIR": str(data)}
    env["DJANGO_SUPERUSER_PASSWORD"] = "pw"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    filmstrip(env, "shell", "-c", ESSAY)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base, data / "published"


def saved(page):
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent === 'All changes saved'"
    )


def served(url: str) -> bytes:
    """The page as a plain HTTP client gets it (no compression asked for)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_the_author_renames_the_site_and_lets_first_comments_through(site, browser):
    base, published = site
    essay = f"{base}/harbour-at-dawn/"
    reader = browser.new_page()
    reload_until(reader, essay, lambda p: p.locator(".site-title").count() == 1, seconds=60)
    assert reader.text_content(".site-title") == "Filmstrip"

    page = signed_in(browser, base, 1280, 900)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.click("text=Site settings")
    page.wait_for_url("**/studio/settings")
    assert axe_violations(page) == []

    # A title left empty is refused, and the page says why beside the field.
    page.fill("#setting-site_title", "")
    page.wait_for_selector("#error-site_title:not([hidden])")
    assert page.inner_text("#error-site_title") == "Site title: The site needs a title."
    assert page.get_attribute("#setting-site_title", "aria-invalid") == "true"
    assert "Not saved" in page.inner_text(".save-state")

    page.fill("#setting-site_title", TITLE)
    saved(page)
    assert page.is_hidden("#error-site_title")
    assert page.get_attribute("#setting-site_title", "aria-invalid") is None
    page.uncheck("#setting-hold_first_comments")
    saved(page)
    page.reload()
    assert page.input_value("#setting-site_title") == TITLE
    assert not page.is_checked("#setting-hold_first_comments")
    assert errors == []

    # The published page shows the title within seconds: its file, as `filmstrip serve` sends it.
    reload_until(reader, essay, lambda p: p.text_content(".site-title") == TITLE)
    assert reader.text_content(".site-title") == TITLE
    assert TITLE in reader.title()
    on_disk = (published / "harbour-at-dawn" / "index.html").read_bytes()
    assert TITLE.encode() in on_disk and served(essay) == on_disk

    # The next guest's first comment is published at once, no longer held.
    reader.fill("#id_body", "The light on the water!")
    reader.fill("#id_name", "Ann Reader")
    reader.fill("#id_email", "ann@example.org")
    reader.wait_for_timeout(READING_MS)
    post_comment(reader)
    assert "waiting for the author" not in reader.inner_text("main")
    assert "The light on the water!" in reader.inner_text(".comment-body")
    reload_until(reader, essay, lambda p: "1 thought" in p.inner_text("#comments-title"))
    assert reader.inner_text("#comments-title").startswith("1 thought on")

    # Sign-in required: the published page stops offering guests the form's name and e-mail.
    page.check("#setting-require_signin")
    saved(page)
    reload_until(reader, essay, lambda p: p.locator("#id_email").count() == 0)
    assert reader.locator("#id_email").count() == 0
    assert reader.locator(".comment-form[data-require-signin]").count() == 1
