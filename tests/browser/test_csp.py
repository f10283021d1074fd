"""The Content-Security-Policy in chromium: every kind of page, used as readers, authors and the
admin use it, with zero violations reported by the browser."""

import os
import re

import pytest

from tests.browser.conftest import (
    FILMSTRIP,
    QUICK_READER,
    READING_MS,
    filmstrip,
    free_port,
    post_comment,
    running,
    wait_for_photos,
)
from tests.conftest import migrated

pytestmark = pytest.mark.browser

# Every violation reaches us twice over: the page's own event, and chromium's console message.
REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} on ${document.location.pathname}`);
});
"""


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("csp")
    env = {**os.environ, **QUICK_READER, "FILMSTRIP_DATA_DIR": str(data)}
    env["DJANGO_SUPERUSER_PASSWORD"] = "pw"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data, demo=True)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, env, ready_url=f"{base}/"):
        wait_for_photos(base)
        yield base


class Watched:
    """A browser context whose every page reports CSP violations and whose every document
    must carry the header."""

    def __init__(self, browser, base):
        self.base = base
        self.violations: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.expose_binding(
            "cspViolation", lambda _source, text: self.violations.append(text)
        )
        self.context.add_init_script(REPORTER)
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _watch(self, page):
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document" and response.status < 300:
            assert "content-security-policy" in response.headers, f"no CSP on {response.url}"

    def visit(self, path: str):
        response = self.page.goto(f"{self.base}{path}", wait_until="load")
        assert response.status == 200, (path, response.status)
        assert "content-security-policy" in response.headers, f"no CSP on {path}"
        self.page.wait_for_timeout(300)  # late violations (modules, lazy images) come in too
        return response


def test_every_kind_of_page_passes_the_policy(csp_site, browser):
    watched = Watched(browser, csp_site)
    page = watched.page

    # Readers: home, tag, essay (lightbox open), photo page, the comment form, sign-in chooser.
    watched.visit("/")
    watched.visit("/tags/nature/")
    watched.visit("/field-notes/")
    page.locator("figure.photo a.zoom").first.click()
    page.wait_for_selector(".pswp--open")
    page.wait_for_timeout(800)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    page.keyboard.press("Escape")
    photo = page.locator("figure.photo a.zoom").first.get_attribute("data-permalink")
    watched.visit(photo)
    watched.visit("/field-notes/")
    page.fill("#id_body", "The *falcon* photo is wonderful.")
    page.fill("#id_name", "Ann Reader")
    page.fill("#id_email", "ann@example.org")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    assert "waiting for the author to approve it" in page.inner_text("main")
    watched.visit("/accounts/login/")

    # Authors: the admin's login and lists, the studio's list, editor, history, a draft's preview.
    watched.visit("/admin/login/?next=/studio/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/studio/")
    watched.visit("/admin/")
    watched.visit("/admin/stories/story/")
    watched.visit("/admin/auth/user/1/change/")
    watched.visit("/studio/")
    editor = page.locator("a[href^='/studio/']").filter(has_text="Field notes").first
    editor_path = editor.get_attribute("href")
    watched.visit(editor_path)
    page.wait_for_timeout(1000)
    watched.visit(f"{editor_path}history")
    watched.visit("/studio/")
    page.fill("#new-title", "A draft for the policy")
    page.click("text=Create")
    page.wait_for_url(re.compile(r".*/studio/\d+/$"))
    page.wait_for_timeout(1500)
    preview = page.locator("a", has_text="Preview").get_attribute("href")
    response = watched.visit(preview)
    assert "private" in response.headers["cache-control"]  # the draft, not a public page

    # The page that answers password guessing (another login name, so the author stays in).
    for _ in range(5):
        page.context.clear_cookies()
        page.goto(f"{csp_site}/admin/login/")
        page.fill("#id_username", "guesser")
        page.fill("#id_password", "wrong")
        with page.expect_response(lambda r: r.url.endswith("/admin/login/")) as answer:
            page.click("input[type=submit]")
    assert answer.value.status == 429
    assert "content-security-policy" in answer.value.headers
    page.wait_for_load_state("load")
    assert "Signing in is paused" in page.inner_text("main")

    watched.context.close()
    assert watched.violations == []
