"""Taking a photo down on a real `filmstrip serve`: the author removes it in the studio (in
chromium), and a plain HTTP client finds its renditions gone at once, and its files gone."""

import urllib.error
import urllib.request

import pytest
from PIL import Image

from tests.browser.conftest import author_site, new_essay
from tests.browser.test_studio import signed_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("takedown")
    with author_site(data) as base:
        yield base, data / "media"


def anonymous_get(url):
    """Status and Cache-Control of ``url`` for a reader with no cookies."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status, response.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Cache-Control", "")


def test_a_photo_removed_in_the_studio_is_gone_at_once(site, browser, tmp_path):
    base, media = site
    photo = tmp_path / "walk.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    Image.new("RGB", (800, 533), (90, 140, 60)).save(photo, "JPEG", exif=exif)
    page = signed_in(browser, base, 1280, 900)
    questions = []  # what the page asks with confirm(), each answered yes
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    new_essay(page, "A walk")
    page.set_input_files("#files", str(photo))
    page.wait_for_function(
        "() => document.querySelector('#items li.item-photo')?.dataset.status === 'ready'",
        timeout=120_000,
    )
    page.reload()
    thumb = page.locator("#items img.thumb").first
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    url = base + thumb.get_attribute("src")
    originals = [p for p in media.rglob("*") if p.is_file() and "originals" in p.parts]
    renditions = [p for p in media.rglob("*") if p.is_file() and "r" in p.parts]
    assert len(originals) == 1 and renditions

    # A draft's renditions: the author sees them (above), a reader does not, no cache keeps them.
    assert "no-store" in page.request.get(url).headers["cache-control"]
    assert anonymous_get(url)[0] == 404
    page.click("text=Publish now")  # the photo has no alt text: the check names it first
    with page.expect_navigation():
        page.click("#publish-check button:text-is('Publish anyway')")
    status, cache = anonymous_get(url)
    assert status == 200 and "immutable" in cache

    page.locator("#items li.item-photo .select").check()
    with page.expect_response("**/delete"):
        page.click("text=Delete selected")

    assert any("deleted for good" in q for q in questions), questions
    assert anonymous_get(url)[0] == 404
    assert [p for p in media.rglob("*") if p.is_file()] == []
    page.context.close()
