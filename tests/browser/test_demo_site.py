"""`make run`'s path, end to end: migrate, demo, serve with the embedded worker, a real browser."""

import subprocess

import pytest

from tests.browser.conftest import (
    APPROVE_ALL,
    FILMSTRIP,
    READING_MS,
    post_comment,
    reload_until,
)
from tests.conftest import REPO

pytestmark = pytest.mark.browser


VISIBLE_IMAGES = """() => [...document.querySelectorAll('figure.photo img')]
  .filter(img => { const r = img.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; })
  .map(img => ({src: img.currentSrc, natural: img.naturalWidth, complete: img.complete}))"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_the_demo_essay_shows_its_photos_and_captions(site, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site}/", wait_until="load")
    with page.expect_navigation():
        page.click("text=Field Notes: A Year of Looking Closely")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Field Notes: A Year of Looking Closely"
    assert page.locator(".dateline").inner_text().startswith("Updated ")

    page.locator("figure.photo").first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.images].filter(i => i.loading !== 'lazy').every(i => i.complete)"
    )
    visible = page.evaluate(VISIBLE_IMAGES)
    assert visible, "no photo above the fold"
    for image in visible:
        assert image["complete"] and image["natural"] > 0, image
        assert ".webp" in image["src"], "the browser should pick the WebP rendition"

    figures = page.locator("figure.photo")
    assert figures.count() == 16
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        assert figure.locator("figcaption").is_visible()
        img = figure.locator("img")
        img.evaluate("img => img.decode()")
        assert img.evaluate("img => img.naturalWidth") > 0
        assert img.get_attribute("alt")
        rendered = img.evaluate("img => img.getBoundingClientRect().width")
        assert rendered <= width, "a photo overflows the viewport"
        # The demo's photos are small (their widest renditions under the site's widest): the
        # number and caption still start at the photo's own left edge, not the column's.
        photo, caption = figure.evaluate(
            "f => [f.querySelector('img'), f.querySelector('figcaption')]"
            ".map(e => e.getBoundingClientRect().left)"
        )
        assert abs(photo - caption) < 1, (
            f"photo {i + 1} starts at {photo}, its caption at {caption}"
        )

    overflow = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
    assert not overflow, "the page scrolls sideways"
    assert errors == [], errors
    page.close()


def test_thumbhash_previews_are_painted_before_photos_arrive(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    # Hold back every rendition, as a slow network would.
    page.route("**/media/r/**", lambda route: None)
    page.goto(f"{site}/field-notes/", wait_until="domcontentloaded")
    painted = "(img) => img.style.backgroundImage.startsWith('url(\"data:image/png')"
    near = "(img) => img.getBoundingClientRect().top < 2 * innerHeight"
    page.wait_for_function(
        f"() => [...document.querySelectorAll('img[data-thumbhash]')].filter({near})"
        f".every({painted})"
    )
    count = page.evaluate("() => document.querySelectorAll('img[data-thumbhash]').length")
    assert count == 16
    # Those further down are decoded as they come near, not all at once while the page loads.
    last = "document.querySelectorAll('img[data-thumbhash]')[15]"
    assert page.evaluate(f"() => !({painted})({last})")
    page.evaluate(f"() => {last}.scrollIntoView()")
    page.wait_for_function(f"() => ({painted})({last})")
    page.close()


def test_a_guest_comments_and_replies_through_the_real_form(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/field-notes/", wait_until="load")
    page.fill("#id_body", "The *falcon* photo is wonderful.")
    page.fill("#id_name", "Ann Reader")
    page.fill("#id_email", "ann@example.org")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    page.wait_for_load_state("load")
    assert "waiting for the author to approve it" in page.inner_text("main")

    subprocess.run(
        [
            FILMSTRIP,
            "shell",
            "-c",
            APPROVE_ALL,
        ],
        env=site.env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    reload_until(
        page, f"{site}/field-notes/", lambda p: "1 thought" in p.inner_text("#comments-title")
    )
    assert page.inner_text("#comments-title").startswith("1 thought on")
    assert page.locator(".comment-body em").inner_text() == "falcon"

    page.click(".comment .reply")
    assert page.locator(".replying").is_visible()
    page.fill("#id_body", "And a reply to myself.")
    page.fill("#id_name", "Ann Reader")
    page.fill("#id_email", "ann@example.org")
    page.wait_for_timeout(READING_MS)
    post_comment(page)
    page.wait_for_load_state("load")
    assert page.inner_text("#comments-title").startswith("2 thoughts on")
    nested = page.locator(".comment .comment-list .comment")
    assert nested.count() == 1 and "a reply to myself" in nested.inner_text()
    page.close()
