"""The studio's contact sheet in chromium, on a real `filmstrip serve`: a 200-photo essay
reordered by one drag and by one key; several tiles moved at once; a passage put between
photos 3 and 4; files dropped between two tiles landing there; the cover mark; the sheet and
its inspector at 390 and 1440 px in both schemes (axe, screenshots).

The essays are made in the served database directly (rows and one small real rendition per
photo), not uploaded: 200 uploads would take minutes."""

import base64
import io
import json
import os

import pytest
from PIL import Image

from tests.browser.conftest import (
    FILMSTRIP,
    axe_violations,
    filmstrip,
    free_port,
    reload_until,
    running,
)
from tests.browser.test_studio import signed_in

pytestmark = pytest.mark.browser

# Photo n of an essay: a landscape, every fourth a portrait, every 25th a panorama; each a
# small real JPEG with its number on it, stored as its one rendition.
SEED = """
import hashlib, io
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw
from filmstrip.photos.models import Photo, Rendition
from filmstrip.stories.models import Story, StoryItem

story = Story.objects.create(title=f"Sheet {slug}", slug=slug, author=User.objects.get(username="ed"))
for n in range(1, count + 1):
    width, height = (2000, 3000) if n % 4 == 0 else (4500, 1500) if n % 25 == 0 else (3000, 2000)
    checksum = hashlib.sha256(f"{slug}/{n}".encode()).hexdigest()
    photo = Photo.objects.create(
        original=f"originals/{checksum[:2]}/{checksum}.jpg", original_filename=f"{slug}-{n:03}.jpg",
        checksum=checksum, size_bytes=1000, format="jpeg", width=width, height=height,
        status=Photo.Status.READY,
    )
    small = (160, round(160 * height / width))
    image = Image.new("RGB", small, ((n * 53) % 200 + 30, (n * 29) % 180 + 40, (n * 71) % 160 + 60))
    ImageDraw.Draw(image).text((6, 4), str(n), fill="white")
    data = io.BytesIO()
    image.save(data, "JPEG")
    name = default_storage.save(f"r/{checksum[:2]}/{checksum[:32]}-{small[0]}.jpg", ContentFile(data.getvalue()))
    Rendition.objects.create(photo=photo, format="jpeg", width=small[0], height=small[1],
                             name=name, size_bytes=len(data.getvalue()))
    StoryItem.objects.create(story=story, position=n, photo=photo, caption=f"Photo {n}",
                             alt_text=f"Test card number {n}")
print(story.pk)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("sheet")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": "pw"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    filmstrip(env, "migrate", "--no-input")
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base, env


def essay(site, slug: str, photos: int = 200) -> int:
    """A new essay of ``photos`` photos, photo n named ``slug-00n.jpg``; its id."""
    base, env = site
    script = f"slug, count = {slug!r}, {photos}\n{SEED}"
    return int(filmstrip(env, "shell", "-c", script).split()[-1])


def editor(browser, site, pk, width=1440, height=900, density="s"):
    page = signed_in(browser, site[0], width, height)
    page.evaluate(f"localStorage.setItem('filmstrip-studio-density', '{density}')")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{site[0]}/studio/{pk}/", wait_until="load")
    ready = "() => document.querySelector('#items .pick[tabindex=\"0\"]')"
    try:
        page.wait_for_function(ready, timeout=15_000)
    except Exception:
        pytest.fail(f"the sheet did not start: {errors}")
    return page


def tile(page, name):
    return page.locator(f'#items li.item[data-filename="{name}"]')


def names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#items li.item", "els => els.map(li => li.dataset.filename || 'text')"
    )


def saved(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent === 'All changes saved'"
    )


def server_order(page, site, pk) -> list[str]:
    """The essay's order as the server has it (the editor's status request)."""
    items = page.request.get(f"{site[0]}/studio/{pk}/status").json()["items"]
    return [item.get("filename") or "text" for item in items]


def drag(page, source, target, x_fraction=0.2):
    """Press on ``source``, move onto the left part of ``target``, let go: one drag."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] * x_fraction, end["y"] + end["height"] / 2, steps=20)
    page.mouse.move(end["x"] + end["width"] * x_fraction - 2, end["y"] + end["height"] / 2, steps=4)
    page.mouse.up()


def test_photo_180_goes_first_in_one_drag_with_the_whole_essay_on_one_screen(
    site, browser, tmp_path
):
    pk = essay(site, "drag")
    page = editor(browser, site, pk)
    page.locator("#items").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.sheet-section').scrollIntoView()")
    sheet = page.locator("#items").bounding_box()
    assert sheet["y"] >= 0 and sheet["y"] + sheet["height"] <= 900, f"one screen: {sheet}"
    portrait, landscape = tile(page, "drag-004.jpg").bounding_box(), tile(page, "drag-001.jpg")
    assert portrait["height"] / portrait["width"] == pytest.approx(1.5, rel=0.06), "uncropped"
    assert landscape.bounding_box()["width"] > portrait["width"] * 2
    shots = os.environ.get("FILMSTRIP_SCREENSHOTS") or tmp_path
    page.screenshot(path=f"{shots}/sheet-200-small-1440.png")
    assert axe_violations(page) == [], "small tiles: marks as dots"

    drag(page, tile(page, "drag-180.jpg"), tile(page, "drag-001.jpg"))
    expected = ["drag-180.jpg"] + [f"drag-{n:03}.jpg" for n in range(1, 201) if n != 180]
    assert names(page) == expected
    assert "drag-180.jpg moved to position 1 of 200" in page.inner_text("#announce")
    saved(page)
    assert server_order(page, site, pk) == expected
    assert page.errors == []
    page.context.close()


def test_photo_180_goes_first_by_keyboard_and_anywhere_by_a_position(site, browser):
    pk = essay(site, "keys")
    page = editor(browser, site, pk, density="m")
    page.keyboard.press("Tab")
    page.locator("#items .pick[tabindex='0']").focus()  # the sheet's one tab stop: tile 1
    assert page.evaluate("document.activeElement.closest('li').dataset.filename") == "keys-001.jpg"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('li').dataset.filename") == "keys-002.jpg"
    tile(page, "keys-180.jpg").locator(".pick").focus()
    page.keyboard.press("Alt+Home")
    assert names(page)[0] == "keys-180.jpg"
    assert page.evaluate("document.activeElement.closest('li').dataset.filename") == "keys-180.jpg"
    assert "moved to position 1 of 200" in page.inner_text("#announce")
    saved(page)
    # One place on, and back, quicker than the server answers: the first order sent is held
    # back, and must not be the last the server hears.
    held = []
    page.route("**/order", lambda route: held.append(route) if not held else route.continue_())
    page.keyboard.press("Alt+ArrowRight")
    assert names(page)[:2] == ["keys-001.jpg", "keys-180.jpg"]
    page.keyboard.press("Alt+ArrowLeft")
    assert page.url.endswith(f"/studio/{pk}/"), "Alt+Left moved the tile, not the browser back"
    page.wait_for_timeout(300)  # time for a second request to overtake the first
    held[0].continue_()
    saved(page)
    assert server_order(page, site, pk)[:2] == ["keys-180.jpg", "keys-001.jpg"]
    page.unroute("**/order")
    # Enter opens the tile in the inspector, where a position is typed in.
    tile(page, "keys-050.jpg").locator(".pick").focus()
    page.keyboard.press("Enter")
    to = page.locator("#detail-" + tile(page, "keys-050.jpg").get_attribute("data-id") + " .to")
    to.fill("2")
    to.press("Enter")
    expected = ["keys-180.jpg", "keys-050.jpg"] + [
        f"keys-{n:03}.jpg" for n in range(1, 201) if n not in (50, 180)
    ]
    assert names(page) == expected
    # Beside the sheet, the open inspector follows the arrows.
    tile(page, "keys-050.jpg").locator(".pick").focus()
    page.keyboard.press("ArrowRight")
    shown = page.locator(".detail:not([hidden]) .filename")
    assert shown.inner_text() == "keys-001.jpg"
    saved(page)
    assert server_order(page, site, pk) == expected
    page.reload()
    assert names(page) == expected
    assert page.errors == []
    page.context.close()


def test_three_selected_tiles_move_together(site, browser):
    pk = essay(site, "multi", photos=40)
    page = editor(browser, site, pk, density="m")
    tile(page, "multi-010.jpg").locator(".pick").click(modifiers=["Control"])
    tile(page, "multi-020.jpg").locator(".select").check()
    tile(page, "multi-030.jpg").locator(".pick").focus()
    page.keyboard.press("Space")
    assert page.inner_text(".selected-count") == "3 selected"
    drag(page, tile(page, "multi-020.jpg"), tile(page, "multi-002.jpg"))
    chosen = ["multi-010.jpg", "multi-020.jpg", "multi-030.jpg"]
    rest = [f"multi-{n:03}.jpg" for n in range(1, 41) if n not in (10, 20, 30)]
    assert names(page) == rest[:1] + chosen + rest[1:]
    saved(page)
    assert server_order(page, site, pk) == rest[:1] + chosen + rest[1:]
    # And by the toolbar: the same three to the end.
    page.fill(".move-selected-to", "38")
    page.click("button.move-selected")
    assert names(page) == rest + chosen
    saved(page)
    assert server_order(page, site, pk) == rest + chosen
    page.context.close()


def test_a_passage_goes_between_photos_3_and_4_and_is_published_there(site, browser):
    pk = essay(site, "passage", photos=12)
    page = editor(browser, site, pk, density="m")
    tile(page, "passage-004.jpg").locator(".pick").click()
    page.click(".detail:not([hidden]) button.insert[data-where=before]")
    # The new passage is open, ready to type in.
    page.wait_for_function("() => document.activeElement.matches('.detail:not([hidden]) .body')")
    page.keyboard.type("## Then the path *turns* [inland](https://example.org/).")
    assert page.evaluate("scrollY") < 900, "no jump to the end"
    saved(page)
    expected = [f"passage-{n:03}.jpg" for n in (1, 2, 3)] + ["text"]
    expected += [f"passage-{n:03}.jpg" for n in range(4, 13)]
    assert names(page) == expected
    assert server_order(page, site, pk) == expected
    # The tile shows the words, not the Markdown's marks.
    assert page.inner_text("#items li.item-text .gist") == "Then the path turns inland."

    with page.expect_navigation():
        page.click("text=Publish now")
    reader = browser.new_page()
    reload_until(reader, f"{site[0]}/passage/", lambda p: p.locator("text=inland").count() > 0)
    order = reader.evaluate(
        """() => [...document.querySelectorAll('figure.photo img, .passage')].map(
            el => el.tagName === 'IMG' ? el.alt : el.innerHTML.trim())"""
    )
    assert order[:5] == [
        "Test card number 1",
        "Test card number 2",
        "Test card number 3",
        '<h2>Then the path <em>turns</em> <a href="https://example.org/" rel="noopener">inland</a>.</h2>',
        "Test card number 4",
    ], order
    reader.close()
    page.context.close()


def jpeg(width, height, colour) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(data, "JPEG")
    return data.getvalue()


DROP = """([files, selector]) => {
    const transfer = new DataTransfer();
    for (const [name, base64] of files) {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
    }
    const target = document.querySelector(selector);
    const box = target.getBoundingClientRect();
    const at = { clientX: box.left + 3, clientY: box.top + box.height / 2 };
    const options = { bubbles: true, cancelable: true, dataTransfer: transfer, ...at };
    target.dispatchEvent(new DragEvent("dragenter", options));
    target.dispatchEvent(new DragEvent("dragover", options));
    const marked = target.closest("li").classList.contains("drop-before");
    target.dispatchEvent(new DragEvent("drop", options));
    return marked;
}"""


def test_files_dropped_between_two_tiles_land_there(site, browser):
    pk = essay(site, "dropped", photos=8)
    page = editor(browser, site, pk, density="m")
    # The first is much the larger: its checksum and upload end after the second's, and still
    # it goes first.
    noise = io.BytesIO()
    Image.effect_noise((2400, 1600), 60).convert("RGB").save(noise, "JPEG", quality=95)
    files = [
        ["new-a.jpg", base64.b64encode(noise.getvalue()).decode()],
        ["new-b.jpg", base64.b64encode(jpeg(200, 300, (40, 200, 40))).decode()],
    ]
    fifth = tile(page, "dropped-005.jpg").get_attribute("id")
    marked = page.evaluate(DROP, [files, f"#{fifth} .pick"])
    assert marked, "an insertion mark showed where they would go"
    page.wait_for_function(
        "() => document.querySelectorAll('#items li.item-photo').length === 10", timeout=60_000
    )
    expected = [f"dropped-{n:03}.jpg" for n in range(1, 5)] + ["new-a.jpg", "new-b.jpg"]
    expected += [f"dropped-{n:03}.jpg" for n in range(5, 9)]
    assert names(page) == expected
    assert server_order(page, site, pk) == expected
    page.wait_for_function(
        "() => [...document.querySelectorAll('#items li.item-photo')]"
        ".every(li => li.dataset.status === 'ready')",
        timeout=120_000,
    )
    assert page.errors == []
    page.context.close()


def test_the_cover_is_marked_and_the_mark_moves_with_make_cover(site, browser):
    pk = essay(site, "cover", photos=10)
    page = editor(browser, site, pk, density="m")
    marked = "() => [...document.querySelectorAll('#items .cover-mark')].filter(m => !m.hidden)"
    cover = f"{marked}.map(m => m.closest('li').dataset.filename)"
    assert page.evaluate(cover) == ["cover-001.jpg"], "no cover chosen: the first photo"
    tile(page, "cover-007.jpg").locator(".pick").click()
    page.click(".detail:not([hidden]) button.make-cover")
    assert page.evaluate(cover) == ["cover-007.jpg"]
    assert tile(page, "cover-007.jpg").locator(".cover-mark").is_visible()
    assert page.locator(".detail:not([hidden]) .is-cover").is_visible()
    assert "cover-007.jpg is now the cover." in page.inner_text("#announce")
    saved(page)
    page.reload()
    assert page.evaluate(cover) == ["cover-007.jpg"]
    page.context.close()


@pytest.mark.parametrize("width,height", [(390, 844), (1440, 900)])
def test_the_sheet_and_inspector_pass_axe_in_both_schemes(site, browser, width, height, tmp_path):
    pk = essay(site, f"look-{width}", photos=40)
    shots = os.environ.get("FILMSTRIP_SCREENSHOTS") or tmp_path
    problems = {}
    for scheme in ("light", "dark"):
        page = editor(browser, site, pk, width, height, density="m")
        page.emulate_media(color_scheme=scheme)
        page.locator("#items").scroll_into_view_if_needed()
        tile(page, f"look-{width}-004.jpg").locator(".pick").click()
        page.wait_for_function(
            "() => document.querySelector('.detail:not([hidden]) .preview').complete"
        )
        page.screenshot(path=f"{shots}/sheet-{scheme}-{width}.png")
        page.screenshot(path=f"{shots}/sheet-{scheme}-{width}-full.png", full_page=True)
        problems[scheme] = axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:
            problems[scheme].append(f"{wide} px wide")
        assert page.errors == []
        page.context.close()
    assert problems == {"light": [], "dark": []}, json.dumps(problems, indent=1)


def test_a_refused_upload_does_not_keep_a_full_bar(site, browser, tmp_path):
    pk = essay(site, "refused", photos=2)
    page = editor(browser, site, pk, density="m")
    odd = tmp_path / "odd.jpg"  # every byte arrives; the server then finds no photo in it
    odd.write_bytes(b"not a photo at all " * 20_000)
    page.set_input_files("#files", str(odd))
    page.wait_for_function(
        "() => document.querySelector('.upload-list .note').textContent.startsWith('refused')"
    )
    assert page.eval_on_selector(".upload-list progress", "bar => bar.value") == 0
    page.context.close()
