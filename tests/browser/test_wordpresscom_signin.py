"""Sign in with WordPress.com and comment, in chromium, against a loopback stand-in server.

The stand-in (tests/wordpresscom_provider) speaks WordPress.com's OAuth2 on loopback; Filmstrip
is `filmstrip serve`, with the provider added as a social application the way an author would
in the admin, pointed at the stand-in through the application's settings.
"""

import json
import os
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import (
    APPROVE_ALL,
    FILMSTRIP,
    QUICK_READER,
    READING_MS,
    filmstrip,
    free_port,
    post_comment,
    reload_until,
    running,
)
from tests.conftest import migrated
from tests.wordpresscom_provider import StandIn

pytestmark = pytest.mark.browser

CLIENT_ID, SECRET = "71234", "wpcom-secret-for-tests-only"
ESSAY = "/tide-pools/"

SET_UP = """
import sys
from allauth.socialaccount.models import SocialApp
from filmstrip.stories.models import Story
from filmstrip.stories.publishing import publish
story = Story.objects.create(title="Tide Pools", slug="tide-pools", intro="Low water.")
publish(story)
story.save()
SocialApp.objects.create(
    provider="wordpress", name="WordPress.com", client_id=%r, secret=%r,
    settings={"api_url": %r},
)
"""

COMMENTS_AS_JSON = """
import json
from filmstrip.comments.models import Comment
print(json.dumps([
    {"name": c.author_name, "via": c.author_via, "url": c.author_url, "status": c.status,
     "accounts": [[a.provider, a.uid] for a in c.user.socialaccount_set.all()] if c.user else []}
    for c in Comment.objects.all()
]))
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(filmstrip base URL, the stand-in, filmstrip's environment)."""
    tmp = tmp_path_factory.mktemp("wordpresscom")
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    stand_in = StandIn(CLIENT_ID, SECRET, f"{site}/accounts/wordpress/login/callback/")
    server = stand_in.serve()
    env = {**os.environ, **QUICK_READER, "FILMSTRIP_DATA_DIR": str(tmp / "site")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(env["FILMSTRIP_DATA_DIR"])
    filmstrip(env, "shell", "-c", SET_UP % (CLIENT_ID, SECRET, stand_in.url))
    serve = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    try:
        with running(serve, env, ready_url=f"{site}{ESSAY}"):
            yield site, stand_in, env
    finally:
        server.shutdown()
        server.server_close()


def comments(env):
    return json.loads(filmstrip(env, "shell", "-c", COMMENTS_AS_JSON).splitlines()[-1])


def to_wordpress_and_decide(page, decision):
    """From the essay's form, through the chooser, to the authorize page and its button."""
    page.click("text=Sign in with WordPress.com")
    page.wait_for_url("**/accounts/login/**")
    page.click("button:has-text('Sign in with WordPress.com')")
    page.wait_for_url("**/oauth2/authorize**")
    with page.expect_navigation():
        page.click(f"button[value={decision}]")
    page.wait_for_load_state("load")


def reader(page, site):
    return page.request.get(f"{site}/comments/tide-pools/form").json()["reader"]


def test_a_reader_signs_in_with_wordpress_com_and_comments(sites, browser):
    site, stand_in, env = sites
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site}{ESSAY}", wait_until="load")
    to_wordpress_and_decide(page, "approve")
    page.wait_for_url(f"{site}{ESSAY}**")
    page.wait_for_selector(".as:not([hidden])")
    assert page.inner_text(".as").startswith("You are commenting as Maren Holt (WordPress.com)")
    assert stand_in.authorize_requests[-1]["scope"] == "auth"

    page.fill("#id_body", "The anemones open at low water.")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    assert "waiting for the author to approve it" in page.inner_text("main")
    [comment] = comments(env)
    assert (comment["name"], comment["via"]) == ("Maren Holt", "WordPress.com")
    assert comment["url"] == "https://marenholt.example.org"
    assert comment["accounts"] == [["wordpress", "41873902"]]

    filmstrip(env, "shell", "-c", APPROVE_ALL)
    reload_until(page, f"{site}{ESSAY}", lambda p: "1 thought" in p.inner_text("#comments-title"))
    meta = page.inner_text(".comment-meta")
    assert "Maren Holt" in meta and "via WordPress.com" in meta
    anonymous = urllib.request.urlopen(f"{site}{ESSAY}").read()
    assert page.request.get(f"{site}{ESSAY}").body() == anonymous
    assert b"maren@example.org" not in anonymous
    context.close()


def test_denying_at_wordpress_com_says_so(sites, browser):
    site, _, _ = sites
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}{ESSAY}", wait_until="load")
    to_wordpress_and_decide(page, "deny")
    assert page.url.startswith(site)
    assert "Login Cancelled" in page.inner_text("main")
    assert reader(page, site) is None
    context.close()


def test_a_bad_token_answer_says_so(sites, browser):
    site, stand_in, env = sites
    before = len(comments(env))
    stand_in.bad_token_answer = (400, "application/json", b'{"error":"invalid_grant"}')
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{site}{ESSAY}", wait_until="load")
        to_wordpress_and_decide(page, "approve")
        assert urllib.parse.urlsplit(page.url).path == "/accounts/wordpress/login/callback/"
        text = page.inner_text("main")
        assert "Signing in did not work" in text
        assert "WordPress.com did not confirm who you are" in text
        assert reader(page, site) is None
        page.click("text=go back")
        page.wait_for_url(f"{site}{ESSAY}**")
        context.close()
    finally:
        stand_in.bad_token_answer = None
    assert len(comments(env)) == before
