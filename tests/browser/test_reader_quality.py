"""The reader's side judged by independent tools on pages served by `filmstrip serve`:
the Nu Html Checker (vnu.jar) and axe-core in chromium, and the lightbox used for real."""

import json
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from tests.browser.conftest import axe_violations, filmstrip
from tests.conftest import REPO

pytestmark = pytest.mark.browser

NODE_MODULES = REPO / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


CONVERSATION = """
from filmstrip.comments.models import Comment
from filmstrip.stories.models import Story
story = Story.objects.get(slug="field-notes")
photo = story.items.filter(kind="photo").first().photo
first = Comment.objects.create(story=story, author_name="Ann", author_email="a@example.org",
    author_url="https://ann.example.org/", body="Lovely *light*.", status="approved")
Comment.objects.create(story=story, parent=first, depth=2, author_name="Bo",
    author_email="b@example.org", body="Agreed.", status="approved")
Comment.objects.create(story=story, photo=photo, author_name="Cy", author_email="c@example.org",
    body="Which lens?", status="approved")
from django.utils import timezone
from filmstrip.backlinks.models import Backlink
Backlink.objects.create(kind="webmention", story=story, source="https://blog.example.org/spring",
    target="http://127.0.0.1/field-notes/", status="approved", verification="verified",
    title="Spring walks", author_name="Dee", author_url="https://blog.example.org/",
    excerpt="A lovely essay about looking closely.", received_at=timezone.now())
from filmstrip.stories import publishing
publishing.discussion_changed([story.pk])
"""


@pytest.fixture(scope="module")
def pages(site):
    """Essay, home, photo and tag pages of the demo site, with a conversation under the essay."""
    filmstrip(site.env, "shell", "-c", CONVERSATION)
    essay = "/field-notes/"
    deadline = time.monotonic() + 10
    while True:  # the published page is rewritten moments later
        html = urllib.request.urlopen(f"{site}{essay}").read().decode()
        if "Linked from" in html or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "Linked from" in html and "Spring walks" in html
    marker = 'href="/field-notes/photos/'
    photo = html[html.index(marker) + len('href="') :].split('"', 1)[0]
    return {"essay": essay, "home": "/", "photo": photo, "tag": "/tags/nature/"}


def test_the_nu_html_checker_finds_no_errors(site, pages, tmp_path):
    files = []
    for name, path in pages.items():
        target = tmp_path / f"{name}.html"
        target.write_bytes(urllib.request.urlopen(f"{site}{path}").read())
        files.append(str(target))
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violations_on_any_page(site, pages, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = {}
    for name, path in pages.items():
        page.goto(f"{site}{path}", wait_until="load")
        problems[name] = axe_violations(page)
    page.close()
    assert problems == {name: [] for name in pages}, json.dumps(problems, indent=1)


def test_the_lightbox_by_keyboard_and_screen_reader(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "/media/r/" in r.url else None)
    page.goto(f"{site}/field-notes/", wait_until="load")
    links = page.locator("figure.photo a.zoom")
    third = links.nth(2)
    third.scroll_into_view_if_needed()
    permalink = third.get_attribute("data-permalink")
    third.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".pswp--open")
    page.wait_for_timeout(500)

    # The address bar names the photo; its caption is shown, not hidden behind a button.
    assert urllib.parse.urlparse(page.url).path == permalink
    caption = page.locator(".pswp__caption")
    figcaption = page.locator("figure.photo").nth(2).locator("figcaption").inner_text()
    assert caption.is_visible() and figcaption in caption.inner_text()
    assert "Photo 3 of 16" in caption.inner_text()

    # Focus is inside the dialog, and it has a name for screen readers.
    assert page.evaluate("() => document.querySelector('.pswp').contains(document.activeElement)")
    assert page.locator(".pswp").get_attribute("role") == "dialog"
    # Only the photo and its neighbours are in the lightbox.
    assert page.locator(".pswp__img:not(.pswp__img--placeholder)").count() <= 3

    with_lightbox = axe_violations(page)
    assert with_lightbox == [], with_lightbox

    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(400)
    fourth = links.nth(3).get_attribute("data-permalink")
    assert urllib.parse.urlparse(page.url).path == fourth

    page.keyboard.press("Escape")
    page.wait_for_selector(".pswp", state="detached")
    # Back on the essay, at the photo last seen, with focus returned to the page.
    assert urllib.parse.urlparse(page.url).path == "/field-notes/"
    assert page.url.endswith(f"#photo-{fourth.rstrip('/').rsplit('/', 1)[-1]}")
    assert page.evaluate("() => document.activeElement.matches('a.zoom')")
    page.close()


def test_a_shared_photo_link_opens_on_that_photo(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site}/field-notes/", wait_until="load")
    permalink = page.locator("figure.photo a.zoom").nth(5).get_attribute("data-permalink")
    page.goto(f"{site}{permalink}", wait_until="load")
    assert page.locator(".photo-nav").inner_text().count("Photo 6 of 16") == 1
    img = page.locator(".photo-large img")
    assert img.evaluate("img => img.complete && img.naturalWidth > 0")
    page.close()


def test_without_javascript_each_photo_links_to_its_large_rendition(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/field-notes/", wait_until="load")
    href = page.locator("figure.photo a.zoom").first.get_attribute("href")
    response = page.request.get(f"{site}{href}")
    assert response.ok and response.headers["content-type"] == "image/webp"
    assert "immutable" in response.headers["cache-control"]
    context.close()


TRANSITIONS_IN_NEXT_300_MS = """async () => {
  const seen = new Set();
  const end = performance.now() + 300;
  while (performance.now() < end) {
    for (const a of document.getAnimations()) if (a.transitionProperty) seen.add(a.transitionProperty);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  return [...seen];
}"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_reduced_motion_turns_the_zoom_animation_off(site, browser, motion):
    context = browser.new_context(reduced_motion=motion)
    page = context.new_page()
    page.goto(f"{site}/field-notes/", wait_until="load")
    page.locator("figure.photo a.zoom").first.click()
    transitions = page.evaluate(TRANSITIONS_IN_NEXT_300_MS)
    assert bool(transitions) == (motion == "no-preference"), transitions
    page.wait_for_selector(".pswp--open")
    assert page.locator(".pswp__caption").is_visible()
    context.close()


def test_the_lightbox_shows_photo_details_where_the_essay_offers_them(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/field-notes/", wait_until="load")
    with_facts = page.locator("figure.photo a.zoom[data-facts]")
    assert with_facts.count() >= 5  # the demo's camera files say what took them
    link = with_facts.first
    facts = link.get_attribute("data-facts")
    assert "ƒ/" in facts or " mm" in facts or "ISO" in facts, facts
    link.click()
    page.wait_for_selector(".pswp--open")
    assert facts in page.locator(".pswp__caption .pswp-facts").inner_text()
    page.close()


def test_use_this_photo_opens_a_dialog_with_a_credit_to_copy(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/field-notes/", wait_until="load")
    figure = page.locator("figure.photo").nth(2)
    permalink = figure.locator("a.zoom").get_attribute("data-permalink")
    figure.hover()  # the photo's actions show on hover or keyboard focus
    figure.locator("a.use").click()
    dialog = page.locator("dialog.use-dialog")
    dialog.wait_for(state="visible")
    assert urllib.parse.urlparse(page.url).path == "/field-notes/", "the reader stays put"
    assert "Use this photo" in dialog.locator("h2").inner_text()
    dialog.locator("button[data-copy=credit-html]").click()
    page.wait_for_function("() => document.querySelector('.use-dialog .copied').textContent")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("<a href=") and f"{permalink}" in copied and 'rel="license"' in copied
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    context.close()
