"""Sign in to comment through a real OpenID Connect provider, end to end, in chromium.

The provider is django-oauth-toolkit (tests/oidc_provider) on loopback, requiring PKCE; Filmstrip
is `filmstrip serve`, configured for it only through FILMSTRIP_OIDC_* environment variables.
Nothing of allauth or the provider is mocked.
"""

import json
import os
import sys
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
from tests.oidc_provider.__main__ import PASSWORD, USERNAME

pytestmark = pytest.mark.browser

CLIENT_ID, CLIENT_SECRET = "filmstrip-test-client", "a-client-secret-for-tests-only"
ESSAY = "/night-market/"

MAKE_ESSAY = """
from filmstrip.stories.models import Story
from filmstrip.stories.publishing import publish
story = Story.objects.create(title="Night Market", slug="night-market", intro="Lanterns.")
publish(story)
story.save()
"""

COMMENTS_AS_JSON = """
import json
from filmstrip.comments.models import Comment
print(json.dumps([
    {"name": c.author_name, "email": c.author_email, "url": c.author_url, "via": c.author_via,
     "status": c.status, "reasons": c.moderation_reasons,
     "accounts": [[a.provider, a.uid] for a in c.user.socialaccount_set.all()] if c.user else []}
    for c in Comment.objects.all()
]))
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(filmstrip base URL, provider base URL, filmstrip's environment)."""
    tmp = tmp_path_factory.mktemp("oidc")
    site_port, provider_port = free_port(), free_port()
    site, provider = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{provider_port}"
    callback = f"{site}/accounts/oidc/oidc/login/callback/"

    provider_env = {**os.environ, "PROVIDER_DB": str(tmp / "provider.sqlite3")}
    provider_env.pop("DJANGO_SETTINGS_MODULE", None)
    provider_command = [sys.executable, "-m", "tests.oidc_provider"]
    provider_command += [str(provider_port), CLIENT_ID, CLIENT_SECRET, callback]

    env = {
        **os.environ,
        **QUICK_READER,
        "FILMSTRIP_DATA_DIR": str(tmp / "site"),
        "FILMSTRIP_OIDC_ISSUER": f"{provider}/o",
        "FILMSTRIP_OIDC_CLIENT_ID": CLIENT_ID,
        "FILMSTRIP_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "FILMSTRIP_OIDC_NAME": "Loopback ID",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(env["FILMSTRIP_DATA_DIR"])
    filmstrip(env, "shell", "-c", MAKE_ESSAY)
    serve = [FILMSTRIP, "serve", "--no-migrate", "--port", str(site_port)]
    discovery = f"{provider}/o/.well-known/openid-configuration"
    with (
        running(provider_command, provider_env, ready_url=discovery),
        running(serve, env, ready_url=f"{site}{ESSAY}"),
    ):
        yield site, provider, env


def comments(env):
    # `shell` announces its automatic imports first; the JSON is the last line.
    return json.loads(filmstrip(env, "shell", "-c", COMMENTS_AS_JSON).splitlines()[-1])


def sign_in_at_provider(page, provider):
    """From the essay's form, through the chooser, to the provider and back."""
    page.click("text=Sign in with Loopback ID")
    page.wait_for_url("**/accounts/login/**")
    with page.expect_navigation():  # leaves the chooser; the redirects end at one page
        page.click("button:has-text('Sign in with Loopback ID')")
    page.wait_for_load_state("load")
    if page.url.startswith(provider):  # the provider asks for a password once per session
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("text=Sign in to Loopback ID")
        page.wait_for_load_state("load")


def test_a_reader_signs_in_with_openid_connect_and_comments(sites, browser):
    site, provider, env = sites
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    authorize = []
    page.on("request", lambda r: authorize.append(r.url) if "/o/authorize/" in r.url else None)
    page.goto(f"{site}{ESSAY}", wait_until="load")
    assert page.locator("#id_name").is_visible(), "a guest sees the guest fields"

    sign_in_at_provider(page, provider)
    page.wait_for_url(f"{site}{ESSAY}**")
    page.wait_for_selector(".as:not([hidden])")
    assert page.inner_text(".as").startswith("You are commenting as Rosa Lind (Loopback ID)")
    assert not page.locator(".who").is_visible()
    assert not page.locator(".signin").is_visible()

    # The authorization code flow carried a PKCE challenge (and the provider requires one).
    query = urllib.parse.parse_qs(urllib.parse.urlparse(authorize[0]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert "openid" in query["scope"][0].split()

    page.fill("#id_body", "The lantern photos glow.")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    page.wait_for_load_state("load")
    assert "waiting for the author to approve it" in page.inner_text("main")

    [comment] = comments(env)
    assert comment["name"] == "Rosa Lind"
    assert comment["email"] == "rosa@example.org"
    assert comment["url"] == "https://rosa.example.org/"
    assert comment["via"] == "Loopback ID"
    [(provider_id, subject)] = comment["accounts"]
    assert provider_id == "oidc" and subject, "the comment carries the provider's identity"
    assert comment["reasons"] == ["first comment from this account"]

    filmstrip(
        env,
        "shell",
        "-c",
        APPROVE_ALL,
    )
    reload_until(page, f"{site}{ESSAY}", lambda p: "1 thought" in p.inner_text("#comments-title"))
    assert page.inner_text("#comments-title").startswith("1 thought on")
    meta = page.inner_text(".comment-meta")
    assert "Rosa Lind" in meta and "via Loopback ID" in meta

    # Signed in or not, the page is the same bytes: nothing about the reader is in it.
    signed_in = page.request.get(f"{site}{ESSAY}").body()
    anonymous = urllib.request.urlopen(f"{site}{ESSAY}").read()
    assert signed_in == anonymous
    assert b"rosa@example.org" not in anonymous and b"commenting as Rosa" not in anonymous

    # A returning, approved reader goes straight onto the page.
    page.fill("#id_body", "And the night food stalls too.")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    page.wait_for_load_state("load")
    assert page.inner_text("#comments-title").startswith("2 thoughts on")

    page.click(".as >> text=Log out")
    page.wait_for_url(f"{site}{ESSAY}**")
    page.wait_for_load_state("load")
    assert page.locator(".signin").is_visible() and page.locator("#id_name").is_visible()
    assert not page.locator(".as").is_visible()
    context.close()


def test_an_id_token_for_another_client_is_refused(sites, browser):
    site, provider, env = sites
    before = len(comments(env))
    urllib.request.urlopen(f"{provider}/tamper/?audience=someone-else").read()
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{site}{ESSAY}", wait_until="load")
        sign_in_at_provider(page, provider)
        assert page.url.startswith(site)
        assert "login failure" in page.inner_text("main").lower()
        tokens = page.request.get(f"{site}/comments/night-market/form").json()
        assert tokens["reader"] is None, "a bad ID token must not sign anyone in"
        context.close()
    finally:
        urllib.request.urlopen(f"{provider}/tamper/").read()
    assert len(comments(env)) == before


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_the_site(sites, browser, target):
    site, provider, _ = sites
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/accounts/login/?next={urllib.parse.quote(target)}", wait_until="load")
    # Also try the provider's login URL directly, as a forged form would.
    with page.expect_navigation():
        page.evaluate(
            """([next]) => {
                const form = document.querySelector('.providers form');
                form.elements.next.value = next;
                form.submit();
            }""",
            [target],
        )
    page.wait_for_load_state("load")
    if page.url.startswith(provider):
        page.fill("#id_username", USERNAME)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("text=Sign in to Loopback ID")
        page.wait_for_load_state("load")
    assert page.url.startswith(f"{site}/"), page.url
    assert "evil" not in page.url
    assert page.request.get(f"{site}/comments/night-market/form").json()["reader"]
    context.close()
