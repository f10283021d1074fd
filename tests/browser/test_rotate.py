"""Turning a photo in the studio, in chromium: the published rendition, fetched over HTTP and
read by ExifTool and Pillow (not by our pipeline), is turned under a new address, and the
original's bytes on disk are those uploaded."""

import hashlib
import io
import json
import subprocess
import time
import urllib.request

import pytest
from PIL import Image

from tests.browser.conftest import author_site, new_essay, reload_until, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """A site with one author (ed, pw); its base URL and data directory."""
    data = tmp_path_factory.mktemp("rotate")
    with author_site(data) as base:
        yield base, data


def fetched(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def exiftool_size(data: bytes) -> tuple[int, int]:
    """Width and height as ExifTool reads them from the file's own header."""
    done = subprocess.run(
        ["exiftool", "-json", "-ImageWidth", "-ImageHeight", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    (read,) = json.loads(done.stdout)
    return read["ImageWidth"], read["ImageHeight"]


def red_corner(data: bytes) -> str:
    picture = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = picture.size
    corners = {"top left": (2, 2), "top right": (w - 3, 2), "bottom left": (2, h - 3)}
    corners["bottom right"] = (w - 3, h - 3)
    (red,) = [c for c, xy in corners.items() if picture.getpixel(xy)[0] > 180]
    return red


def shown_photo(page) -> str:
    """The address of the rendition chromium shows for the essay's photo, once loaded."""
    img = page.locator("figure img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=20_000
    )
    return img.evaluate("img => img.currentSrc")


def test_a_photo_turned_in_the_studio_is_published_turned_its_original_untouched(
    studio, browser, tmp_path
):
    base, data = studio
    upload = tmp_path / "harbour-sideways.jpg"
    picture = Image.new("RGB", (900, 600), (60, 90, 130))
    picture.paste((230, 20, 20), (0, 0, 225, 150))  # red in the top left corner
    picture.save(upload, "JPEG", quality=92)
    checksum = hashlib.sha256(upload.read_bytes()).hexdigest()
    original = data / "media" / "originals" / checksum[:2] / f"{checksum}.jpg"

    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    sign_in(page, base)
    new_essay(page, "Harbour")
    page.set_input_files("#files", str(upload))
    ready = "() => document.querySelector('li.item-photo')?.dataset.status === 'ready'"
    page.wait_for_function(ready, timeout=120_000)
    page.click("text=Publish now")  # asks first, since the photo has no alt text
    with page.expect_navigation():
        page.click("button:has-text('Publish anyway')")  # alt text is not what this test is about
    editor = page.url

    reader = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    reader.goto(f"{base}/harbour/")
    before = shown_photo(reader)
    width, height = exiftool_size(fetched(before))
    assert width > height and red_corner(fetched(before)) == "top left"

    page.goto(editor)
    page.click("li.item-photo .pick")  # selects the tile: the inspector shows the photo
    page.get_by_role("button", name="Rotate right").click()
    # Turned on the server, then made again by the worker.
    status = editor.split("#")[0].split("?")[0] + "status"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        (item,) = page.request.get(status).json()["items"]
        if item["rotation"] == 90 and item["status"] == "ready":
            break
        page.wait_for_timeout(200)
    assert (item["rotation"], item["status"]) == (90, "ready")
    assert (item["width"], item["height"]) == (600, 900)

    page.goto(editor)  # the studio's tile shows it turned too
    thumb = page.locator("li.item-photo img.thumb").element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb)
    assert thumb.evaluate("img => img.naturalWidth < img.naturalHeight")

    # The published page is rebuilt with the new rendition, at a new address.
    reload_until(reader, f"{base}/harbour/", lambda p: shown_photo(p) != before, seconds=60)
    after = shown_photo(reader)
    assert after != before, "a rendition cached for good under its old name would show it sideways"
    turned = fetched(after)
    width, height = exiftool_size(turned)
    assert width < height and abs(width / height - 600 / 900) < 0.01
    assert red_corner(turned) == "top right"  # a quarter turn clockwise
    img = reader.locator("figure img").first
    assert int(img.get_attribute("width")) < int(img.get_attribute("height"))

    assert hashlib.sha256(original.read_bytes()).hexdigest() == checksum
