"""Reader details in chromium on `filmstrip serve`: where the lightbox leaves the reader, the
feed link and the feed opened in a browser, the photo actions, and a signed-in reader's form."""

import json
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from tests.browser.conftest import step_until

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def in_view(locator) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight }"
    )


def swipe_left(cdp) -> None:
    """A finger dragged from right to left across the photo (touch events, as a phone sends)."""
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": 340, "y": 400}]}
    )
    for x in range(300, 20, -40):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": 400}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("how", ["swipes", "arrows"])
def test_closing_the_lightbox_returns_to_the_photo_being_viewed(site, browser, how):
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    page.goto(f"{site}/field-notes/", wait_until="load")
    figures = page.locator("figure.photo")
    figures.nth(0).locator("a.zoom").click()
    page.wait_for_selector(".pswp--open")
    caption = page.locator(".pswp__caption")
    shows = "n => document.querySelector('.pswp__caption').textContent.includes(`Photo ${n} of`)"
    for number in range(2, 7):
        # A busy machine can drop a swipe's timing (it reads as a tap).
        if how == "swipes":
            step_until(page, lambda: swipe_left(cdp), shows, number)
        else:
            step_until(page, lambda: page.keyboard.press("ArrowRight"), shows, number)
    assert "Photo 6 of" in caption.inner_text()
    page.keyboard.press("Escape")
    page.wait_for_selector(".pswp", state="detached")
    page.wait_for_timeout(200)

    sixth = figures.nth(5)
    assert in_view(sixth), "the page shows the photo last viewed"
    assert not in_view(figures.nth(0)), "not the one the lightbox was opened on"
    assert sixth.locator("a.zoom").evaluate("a => a === document.activeElement")
    assert page.url.endswith(f"#{sixth.get_attribute('id')}")
    context.close()


def test_a_signed_in_readers_form_shows_no_guest_fields_on_a_wide_screen(site, browser):
    """`.who{display:grid}` (40rem and wider) used to override its `hidden` attribute."""
    page = browser.new_page(viewport=DESKTOP)
    reader = {"name": "Ada", "via": "GitHub"}
    answer = {"csrf": "x" * 32, "token": "t", "editable": [], "reader": reader}
    page.route("**/comments/field-notes/form", lambda route: route.fulfill(json=answer))
    page.goto(f"{site}/field-notes/", wait_until="load")
    page.wait_for_function("() => !document.querySelector('.comment-form .as').hidden")
    assert page.locator(".comment-form .as").is_visible()
    assert page.locator(".comment-form .who").is_hidden()
    assert not page.locator("#id_name").is_visible()
    assert page.locator("#id_body").is_visible()
    page.close()


def test_photo_actions_show_on_hover_or_focus_not_under_every_photo(site, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/field-notes/", wait_until="load")
    first = page.locator("figure.photo").nth(0)
    # On a phone, only "Photo N" under each photo: the photo page has the rest.
    assert first.locator(".photo-actions .more").bounding_box()["width"] <= 1
    assert first.locator(".photo-actions a.permalink").bounding_box()["height"] >= 24
    # By keyboard, each action is reached in turn and shows itself when it has focus.
    first.locator("a.permalink").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "photo-comment"
    assert first.locator(".photo-actions .more").bounding_box()["width"] > 100
    page.close()

    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site}/field-notes/", wait_until="load")
    second = page.locator("figure.photo").nth(1)
    assert second.locator(".more").bounding_box()["width"] <= 1
    second.hover()
    assert second.locator(".more").bounding_box()["width"] > 100
    page.close()


def test_without_javascript_the_photo_page_offers_every_action(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}/field-notes/", wait_until="load")
    with page.expect_navigation():
        page.locator("figure.photo").nth(0).locator("a.permalink").click()
    page.wait_for_load_state("load")
    assert page.locator("#use").is_visible()
    assert page.get_by_role("link", name="Comment on this photo").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["/", "/field-notes/"])
def test_the_feed_is_linked_where_readers_see_it(site, browser, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}{path}", wait_until="load")
    link = page.get_by_role("link", name="Follow new essays by feed")
    assert link.is_visible()
    assert link.get_attribute("href") == "/feed/rss/"
    page.close()


@pytest.mark.parametrize("path", ["/feed/rss/", "/feed/atom/", "/field-notes/comments/feed/"])
def test_a_feed_opened_in_a_browser_reads_as_a_page(site, browser, path):
    page = browser.new_page(viewport=DESKTOP)
    response = page.goto(f"{site}{path}", wait_until="load")
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    # Chromium renders it as XML with the feed's stylesheet, not as raw text.
    root = page.evaluate("() => document.documentElement.localName")
    assert root in ("rss", "feed")
    styles = page.evaluate(
        """() => { const r = document.documentElement; const s = getComputedStyle(r);
                   return [s.display, s.maxWidth, getComputedStyle(r, '::before').content] }"""
    )
    assert styles[0] == "block" and styles[1] != "none"
    assert "web feed" in styles[2]
    # The essays' titles show; the escaped HTML meant for feed readers does not.
    if path != "/field-notes/comments/feed/":
        title = page.locator("item > title, entry > title").first
        assert title.is_visible() and "Field Notes" in title.text_content()
    body = page.locator("item > description, entry > summary").first
    if body.count():
        assert body.is_hidden()
    page.close()


def test_feed_readers_still_get_valid_feeds(site):
    for path in ("/feed/rss/", "/feed/atom/"):
        data = urllib.request.urlopen(f"{site}{path}").read()
        assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet ')
        assert ET.fromstring(data).tag  # noqa: S314 (our own server's feed) in ("rss", "{http://www.w3.org/2005/Atom}feed")
    json.loads(urllib.request.urlopen(f"{site}/feed/json/").read())
