"""Issue 15's leftovers where a person sees them, in chromium on a real `filmstrip serve`: the
lightbox walks a group with its shared caption; the photo page keeps the essay's gallery mood;
under every photo, alone or in a row, its number and caption start at its left edge, line up
across the row and keep off the window's edge; no photo is stretched past its widest rendition
on a large screen; the contact sheet marks groups, and a move that ends one updates the tile
and the inspector.

One site for the module: the seed essay's first 20 photos with real renditions (a cover
header, a full-bleed panorama, a photo at text width, groups of 2, 3 and 4, one with a shared
caption), two photos of it in the gallery mood, and the author ed for the studio.
"""

import os

import pytest

from tests.browser.conftest import FILMSTRIP, filmstrip, free_port, running, step_until
from tests.browser.test_contact_sheet import editor, essay, saved, tile
from tests.conftest import REPO

pytestmark = pytest.mark.browser

BUILD = """
from django.contrib.auth.models import User
from benchmarks.essay_fixture import build_seed_essay, write_renditions
User.objects.create_superuser("ed", "e@example.org", "pw")
write_renditions(build_seed_essay("seed", photos=20), formats=("webp",))
build_seed_essay("seed-gallery", photos=2, mood="gallery")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("details")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    filmstrip(env, "migrate", "--no-input")
    filmstrip(env, "shell", "-c", BUILD)
    filmstrip(env, "publish", "--all")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        yield base, env


def test_the_lightbox_walks_a_group_in_order_with_its_shared_caption(site, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{site[0]}/seed/", wait_until="load")
    page.click("#photo-5 a.zoom")  # the first of a group of three, under "A shared caption."
    page.wait_for_selector(".pswp--open")
    caption = page.locator(".pswp__caption")
    shows = "n => document.querySelector('.pswp__caption')?.textContent.includes(`Photo ${n}:`)"
    page.wait_for_function(shows, arg=5)
    seen = [(caption.inner_text(), page.evaluate("location.pathname"))]
    for number in range(6, 9):
        step_until(page, lambda: page.keyboard.press("ArrowRight"), shows, number)
        seen.append((caption.inner_text(), page.evaluate("location.pathname")))
    page.close()
    for n, (text, path) in zip(range(5, 9), seen, strict=True):
        assert path == f"/seed/photos/{n}/"
        assert text.startswith(f"Photo {n}: the tide line at dawn, seen from the dunes.")
        # Each photo of the group with the group's caption, a line of its own; photo 8 is alone.
        assert ("\nA shared caption." in text) == (n != 8), text


def test_the_photo_page_keeps_the_essays_gallery_mood(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="light")
    paper = {}
    for slug in ("seed", "seed-gallery"):
        page.goto(f"{site[0]}/{slug}/", wait_until="load")
        page.goto(site[0] + page.eval_on_selector("a.zoom", "a => a.dataset.permalink"))
        paper[slug] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.close()
    assert paper == {"seed": "rgb(251, 250, 247)", "seed-gallery": "rgb(17, 17, 17)"}


# Every photo of the page in a row of the essay (a single photo is a row of one): where it is
# drawn, the widest rendition it offers, and where the text under it starts and ends.
ROWS = """() => [...document.querySelectorAll("article .e-content > .photo, article .group")]
  .map((row) => [...(row.matches(".group") ? row.querySelectorAll(":scope > .photo") : [row])]
    .map((figure) => {
      const box = (el) => { const r = el.getBoundingClientRect(); return {left: r.left,
        right: r.right, top: r.top + scrollY, width: r.width}; };
      const text = (el) => { const r = document.createRange(); r.selectNodeContents(el);
        const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; };
      const img = figure.querySelector("img, .photo-pending");
      const widths = [...figure.querySelectorAll("source, img")]
        .flatMap((s) => [...s.srcset.matchAll(/ (\\d+)w/g)].map((m) => Number(m[1])));
      const caption = figure.querySelector(":scope > figcaption");
      const number = figure.querySelector(".permalink");
      return {id: figure.id, photo: box(img), widest: Math.max(...widths),
        number: box(number), caption: caption && box(caption), words: caption && text(caption),
        stacked: Boolean(figure.closest(".stacks")) && getComputedStyle(figure.parentElement)
          .flexDirection === "column"};
    }))"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900), (2560, 1440)], ids=str)
def test_numbers_and_captions_sit_under_each_photo_from_its_edge(site, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{site[0]}/seed/", wait_until="load")
    rows = page.evaluate(ROWS)
    measure = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize) * 38")
    page.close()
    found = []
    for row in rows:
        for photo in row:
            name, box = photo["id"], photo["photo"]
            if box["width"] > photo["widest"] + 0.5:
                found.append(f"{name} drawn {box['width']:.0f} px wide from {photo['widest']}")
            # From the photo's left edge, or 20 px in where the photo touches the window's.
            inset = 20 if box["left"] < 20 else 0
            for part in ("number", "words"):
                at = photo[part]
                if at and not box["left"] + inset - 1 <= at["left"] <= box["left"] + inset + 1:
                    found.append(f"{name}'s {part} starts at {at['left']:.0f}, its photo at "
                                 f"{box['left']:.0f}")  # fmt: skip
                if at and at["right"] > min(width - 19, at["left"] + measure + 1):
                    found.append(f"{name}'s {part} runs to {at['right']:.0f} in {width}")
        # Across a row, the numbers on one line straight under the photos.
        if len(row) > 1 and not row[0]["stacked"]:
            tops = [p["number"]["top"] for p in row]
            if max(tops) - min(tops) > 1:
                found.append(f"the numbers of {[p['id'] for p in row]} are not on one line")
    assert [len(row) for row in rows if len(row) > 1] == [2, 3, 4, 2]
    assert found == [], "\n".join(found)


GROUPED = """
from filmstrip.stories.models import StoryItem
items = list(StoryItem.objects.filter(story_id={pk}).order_by("position"))
for n in (0, 3, 4):  # photos 1+2, and 4+5+6
    items[n].group_with_next = True
    items[n].save()
"""


def test_the_sheet_marks_groups_and_a_move_that_ends_one_updates_them(site, browser):
    pk = essay(site, "marks", photos=6)
    filmstrip(site[1], "shell", "-c", GROUPED.format(pk=pk))
    page = editor(browser, site, pk, density="m")
    band = "li => getComputedStyle(li, '::after').content !== 'none'"

    def marks():
        return page.eval_on_selector_all(
            "#items li.item-photo",
            f"els => els.map(li => [li.dataset.filename.slice(6, 9), li.matches('.grouped'),"
            f" ({band})(li), !li.querySelector('.group-mark').hidden])",
        )

    # Photo 1 leads into 2, 4 into 5 into 6: each leads-in is marked, and its band runs on
    # under the photo it joins; screen readers hear "grouped with the next photo".
    assert marks() == [
        ["001", True, True, True], ["002", False, True, False], ["003", False, False, False],
        ["004", True, True, True], ["005", True, True, True], ["006", False, True, False],
    ]  # fmt: skip
    tile(page, "marks-001.jpg").locator(".pick").click()
    panel = page.locator(f"#detail-{tile(page, 'marks-001.jpg').get_attribute('data-id')}")
    assert panel.locator(".group_with_next").is_checked()
    # Photo 1 moved to the end by keyboard: it no longer has a next photo, so no group.
    tile(page, "marks-001.jpg").locator(".pick").press("Alt+End")
    saved(page)
    page.wait_for_function(
        "() => !document.querySelector('#items li.grouped[data-filename$=\"001.jpg\"]')"
    )
    assert not panel.locator(".group_with_next").is_checked()
    assert "No longer grouped" in panel.locator(".group-said").inner_text()
    assert [m[:3] for m in marks()] == [
        ["002", False, False], ["003", False, False], ["004", True, True],
        ["005", True, True], ["006", False, True], ["001", False, False],
    ]  # fmt: skip
    assert page.errors == []
    page.context.close()
