"""The studio in chromium, as an author uses it: 30 real photos in, reordered, captioned,
published; a connection cut halfway through an upload; screenshots at two widths."""

import hashlib
import re

import pytest

from tests.browser.conftest import author_site, axe_violations, new_essay, sign_in
from tests.conftest import REPO, corpus_file, corpus_sweep

pytestmark = pytest.mark.browser

BIG = "photos/metadata-extractor-images/jpg/Nikon D90.jpg"


def thirty_photos():
    """30 distinct real JPEGs of the corpus, small enough to keep the test quick."""
    chosen, seen = [], set()
    photos = corpus_sweep("photos")
    for path in sorted(photos.rglob("*.jpg")):
        if "orientation" in str(path) or not 100_000 < path.stat().st_size < 2_500_000:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            chosen.append(path)
        if len(chosen) == 30:
            return chosen
    pytest.fail(f"fewer than 30 usable photos under {photos}")


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    data = tmp_path_factory.mktemp("studio")
    with author_site(data) as base:
        yield base


def signed_in(browser, base, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, base)
    return page


def ready_count(page) -> int:
    return page.evaluate(
        "() => [...document.querySelectorAll('#items li.item-photo')]"
        ".filter(li => li.dataset.status === 'ready').length"
    )


def order(page) -> list[str]:
    return page.eval_on_selector_all("#items li.item", "els => els.map(li => li.dataset.id)")


def test_an_author_makes_an_essay_of_thirty_photos(studio, browser, tmp_path):
    page = signed_in(browser, studio, 1280, 900)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    new_essay(page, "Thirty photos")
    photos = thirty_photos()
    page.set_input_files("#files", [str(p) for p in photos])
    assert page.locator(".upload-list progress").count() == 30
    page.wait_for_function(
        "() => document.querySelectorAll('#items li.item-photo').length === 30", timeout=120_000
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('#items li.item-photo')]"
        ".every(li => ['ready', 'failed'].includes(li.dataset.status))",
        timeout=180_000,
    )
    assert ready_count(page) == 30
    page.screenshot(path=str(tmp_path / "studio-desktop.png"), full_page=True)
    assert axe_violations(page) == []

    # Keyboard: the third tile moves back one place, and the move is announced.
    first_ids = order(page)
    third = page.locator("#items li.item").nth(2)
    third.locator(".pick").focus()
    page.keyboard.press("Alt+ArrowLeft")
    assert order(page)[1] == first_ids[2]
    assert "moved to position 2" in page.inner_text("#announce")
    # To a position typed in, in the inspector of the last one.
    page.locator("#items li.item").nth(29).locator(".pick").click()
    to = page.locator(".detail:not([hidden]) input.to")
    to.fill("1")
    to.press("Enter")
    assert order(page)[0] == first_ids[29]
    # Drag: the tile now third is dragged onto the first one's left half.
    dragged = order(page)[2]
    page.locator("#items li.item").nth(0).scroll_into_view_if_needed()
    source = page.locator("#items li.item").nth(2).bounding_box()
    target = page.locator("#items li.item").nth(0).bounding_box()
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 8, target["y"] + 10, steps=25)
    page.mouse.move(target["x"] + 5, target["y"] + 10, steps=5)
    page.mouse.up()
    assert order(page)[0] == dragged

    page.locator("#items li.item").nth(0).locator(".pick").click()
    item = page.locator(".inspector .detail:not([hidden])")
    item.locator("textarea.caption").fill("The first light on the ridge")
    item.locator("textarea.alt").fill("A ridge lit orange at dawn above a dark valley")
    page.fill('textarea[name="intro"]', "Thirty photographs from a *long* walk.")
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent === 'All changes saved'"
    )
    expected = order(page)

    page.reload()
    assert order(page) == expected, "the order was saved"
    page.locator("#items li.item").nth(0).locator(".pick").click()
    item = page.locator(".inspector .detail:not([hidden])")
    assert item.locator("textarea.caption").input_value() == "The first light on the ridge"
    assert item.locator("textarea.alt").input_value().startswith("A ridge lit orange")
    assert "<em>long</em>" in page.inner_html('.md-preview[data-for="intro"]')

    # Some photos have no alt text: the check names them, and the author publishes anyway.
    page.click("text=Publish now")
    page.locator("dialog#publish-check").wait_for(state="visible")
    with page.expect_navigation():
        page.click("#publish-check button:text-is('Publish anyway')")
    assert "Published" in page.inner_text(".publishing")
    page.screenshot(path=str(tmp_path / "studio-published.png"))

    slug = page.get_attribute("text=Preview", "href")
    reader = browser.new_page()
    reader.goto(f"{studio}{slug}", wait_until="load")
    assert reader.locator("figure.photo").count() == 30
    assert reader.locator("figure.photo figcaption").first.inner_text() == (
        "The first light on the ridge"
    )
    assert reader.locator("figure.photo img").first.get_attribute("alt").startswith("A ridge lit")
    assert "Thirty photographs from a long walk." in reader.inner_text(".intro")
    reader.close()
    assert errors == [], errors
    page.context.close()


def test_a_cut_connection_resumes_the_upload_where_it_stopped(studio, browser, tmp_path):
    page = signed_in(browser, studio, 820, 1100)  # a tablet
    assert axe_violations(page) == [], "the list of essays"
    new_essay(page, "Cut halfway")
    chunks, cut = [], []

    def route(route):
        request = route.request
        if request.method == "PUT":
            chunks.append(request.headers.get("content-range", ""))
            if len(chunks) == 3 and not cut:  # the third chunk: the connection drops
                cut.append(chunks[-1])
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/studio/uploads/*", route)
    page.set_input_files("#files", str(corpus_file(BIG)))
    page.wait_for_function(
        "() => document.querySelectorAll('#items li.item-photo').length === 1", timeout=60_000
    )
    size = corpus_file(BIG).stat().st_size
    starts = [int(r.split(" ")[1].split("-")[0]) for r in chunks]
    assert cut, "the connection was cut"
    assert starts.count(0) == 1, f"the upload started over: {chunks}"
    assert starts == sorted(starts) and max(starts) > size // 2
    assert "connection lost" not in page.inner_text(".upload-list")
    page.wait_for_function(
        "() => document.querySelector('.upload-list .note').textContent === 'ready'"
    )
    page.wait_for_function(
        "() => document.querySelector('#items li.item-photo').dataset.status === 'ready'",
        timeout=120_000,
    )
    page.screenshot(path=str(tmp_path / "studio-tablet.png"), full_page=True)
    page.context.close()


def test_nothing_typed_is_lost_when_the_session_ends(studio, browser):
    page = signed_in(browser, studio, 1280, 900)
    new_essay(page, "Signed out mid-sentence")
    editor = page.url
    page.context.clear_cookies()  # the session ends, as it does after a while
    page.fill('textarea[name="intro"]', "Words typed after the session ended.")
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent.startsWith('Not saved yet')"
    )
    assert "signed out" in page.inner_text(".save-state")
    other = page.context.new_page()  # sign in again, as the message asks
    other.goto(f"{studio}/admin/login/?next=/studio/")
    other.fill("#id_username", "ed")
    other.fill("#id_password", "pw")
    other.click("input[type=submit]")
    other.wait_for_url("**/studio/")
    page.goto(editor)
    assert page.input_value('textarea[name="intro"]') == "Words typed after the session ended."
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent === 'All changes saved'"
    )
    fresh = page.context.new_page()
    fresh.goto(editor)
    fresh.evaluate("() => localStorage.clear()")
    fresh.reload()  # nothing from this browser: the text came from the server
    assert fresh.input_value('textarea[name="intro"]') == "Words typed after the session ended."
    page.context.close()


def test_the_editor_runs_as_es_modules_served_with_debug_off(studio, browser):
    """`filmstrip serve` runs with DEBUG off, where WhiteNoise serves the static files: each of
    the editor's modules loads from its own file as JavaScript, and the editor works."""
    page = signed_in(browser, studio, 1280, 900)
    missing = page.request.get(f"{studio}/studio/no-such-page")
    assert missing.status == 404 and "URLconf" not in missing.text(), "not Django's debug page"
    scripts, errors = {}, []
    page.on(
        "response",
        lambda r: r.request.resource_type == "script" and scripts.setdefault(r.url, r),
    )
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    new_essay(page, "Modules")
    with page.expect_response(lambda r: r.url.endswith("/save")) as saved:
        page.fill('textarea[name="intro"]', "Loaded *as modules*.")
    assert saved.value.status == 200
    served = {url.split("/static/", 1)[1]: r for url, r in scripts.items() if "/static/" in url}
    entry = (REPO / "src/filmstrip/static/filmstrip/studio/editor.js").read_text()
    imported = re.findall(r'^import .* from "\./(\w+\.js)";$', entry, re.MULTILINE)
    assert len(imported) >= 5, "the editor is split into modules"
    editor = {f"filmstrip/studio/{name}" for name in ["editor.js", *imported]}
    assert editor | {"vendor/sortablejs/sortable.esm.js"} <= served.keys()
    for response in served.values():
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/javascript")
    page.wait_for_function("() => document.querySelector('.md-preview em')")
    # A passage added now saves to the address the server gave its new row.
    page.click("text=Add text passage")
    with page.expect_response(lambda r: "/studio/items/" in r.url) as passage:
        page.locator(".inspector .detail-text:not([hidden]) textarea").fill(
            "A passage between photos."
        )
    assert passage.value.status == 200 and passage.value.json()["item"]["body"].startswith("A pa")
    assert errors == [], errors
    page.context.close()
