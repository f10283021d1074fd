"""Issue 15's checks on the seed-size essay, in chromium at a phone's, two laptops' and a large
screen's size: every photo seen whole, no sideways scrolling, nothing moving while it loads,
each photo fetched at the width it is drawn, and the Nu Html Checker and axe satisfied.

The essay (benchmarks/essay_fixture.py: 80 photos of seven shapes, real renditions) is built in
a throwaway data directory and served by `filmstrip serve`, as a reader would get it.
"""

import json
import os
import re
import subprocess
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import FILMSTRIP, axe_violations, free_port, running
from tests.browser.test_reader_quality import VNU
from tests.conftest import REPO

pytestmark = pytest.mark.browser

VIEWPORTS = [(390, 844), (1280, 800), (1440, 900), (2560, 1440)]
ESSAY = "/seed/"
# The essay twice, on paper and in the dark gallery mood; photo 79, in a group, still pending.
BUILD = """
from benchmarks.essay_fixture import build_seed_essay, write_renditions
seed = build_seed_essay("seed", pending=2)
gallery = build_seed_essay("seed-gallery", mood="gallery", pending=2)
write_renditions(seed, gallery, formats=("webp",))
"""

# Scrolls through the whole page as a reader would, waiting for the photos in view to load,
# and sums every layout shift (CLS without session windows: 0 means nothing ever moved).
WALK = """async () => {
  const root = document.documentElement;
  let shifted = 0;
  const count = (entries) => { for (const e of entries) if (!e.hadRecentInput) shifted += e.value; };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({type: "layout-shift", buffered: true});
  // A frame, then a moment; and never longer than a second, since a page chromium stops
  // painting (hidden behind another) runs no frames and would hold the walk for ever.
  const settle = () => new Promise((r) => {
    requestAnimationFrame(() => setTimeout(r, 30));
    setTimeout(r, 1000);
  });
  const loaded = (img) => img.complete ? null : new Promise((r) => {
    img.addEventListener("load", r, {once: true});
    img.addEventListener("error", r, {once: true});
    setTimeout(r, 5000);
  });
  for (let y = 0; y < root.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await settle();
    const inView = [...document.images].filter((img) => {
      const r = img.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    await Promise.all(inView.map(loaded));
  }
  await settle();
  count(observer.takeRecords());
  observer.disconnect();
  return shifted;
}"""

# Every photo of the essay as drawn: its box, the first line under it, what it fetched.
PHOTOS = """() => [...document.querySelectorAll("article picture img, article .photo-pending")]
  .map((el) => {
    const box = el.getBoundingClientRect();
    const figure = el.closest("figure");
    const under = figure && figure.querySelector("figcaption, .photo-actions");
    const picture = el.closest("picture");
    return {
      id: figure ? figure.id : el.closest("[id]")?.id || "",
      top: box.top + scrollY, bottom: box.bottom + scrollY,
      left: box.left, right: box.right, width: box.width, height: box.height,
      line: under ? parseFloat(getComputedStyle(under).lineHeight) || 0 : 0,
      src: el.currentSrc || "",
      srcsets: picture ? [...picture.querySelectorAll("source, img")].map((s) => s.srcset) : [],
    };
  })"""


def measure(page) -> dict:
    """What issue 15 promises of the page in ``page``, measured after scrolling through it."""
    cls = page.evaluate(WALK)
    photos = page.evaluate(PHOTOS)
    viewport = page.evaluate(
        "() => ({width: document.documentElement.clientWidth, height: innerHeight,"
        " scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),"
        " dpr: devicePixelRatio})"
    )
    return {"cls": cls, "photos": photos, **viewport}


def problems(measured: dict) -> list[str]:
    """Every broken promise in ``measured``, in words; [] when the page keeps them all."""
    found = []
    height, width, dpr = measured["height"], measured["width"], measured["dpr"]
    if measured["cls"] > 0:
        found.append(f"layout shifted while loading: CLS {measured['cls']:.4f}")
    if measured["scroll"] > width:
        found.append(f"scrolls sideways: {measured['scroll']} px wide in {width}")
    photos = measured["photos"]
    for photo in photos:
        name = photo["id"] or photo["src"]
        if photo["height"] > height + 0.5:
            found.append(f"{name} is {photo['height']:.0f} px tall in a {height} px window")
        alone = not any(
            other is not photo and other["top"] < photo["bottom"] and photo["top"] < other["bottom"]
            for other in photos
        )
        # A photo on its own row also leaves room for the line under it on the same screen.
        if alone and photo["height"] + photo["line"] > height + 0.5:
            found.append(
                f"{name} and the first line under it take {photo['height'] + photo['line']:.0f} px"
                f" of a {height} px window"
            )
        if photo["left"] < -0.5 or photo["right"] > width + 0.5:
            found.append(
                f"{name} runs out of the window ({photo['left']:.0f}–{photo['right']:.0f})"
            )
        if wrong := fetched_width_problem(photo, dpr):
            found.append(f"{name}: {wrong}")
    return found


def fetched_width_problem(photo: dict, dpr: float) -> str:
    """Whether the rendition fetched is the one its drawn width calls for (the ``sizes``
    attribute told the truth): the narrowest at least as wide as the drawn pixels, else the
    widest. '' when right, or for a placeholder."""
    widths = {}  # path: width, of every rendition offered
    for srcset in photo["srcsets"]:
        for url, w in re.findall(r"(\S+) (\d+)w", srcset):
            widths[urlsplit(url).path] = int(w)
    fetched_path = urlsplit(photo["src"]).path
    if not widths:  # a photo still being prepared: its placeholder
        return ""
    if fetched_path not in widths:
        return f"shows {photo['src'] or 'nothing'}, none of its renditions"
    fetched = widths[fetched_path]
    kind = fetched_path.rsplit(".", 1)[-1]
    ladder = sorted({w for path, w in widths.items() if path.endswith(f".{kind}")})
    needed = photo["width"] * dpr
    # 2% either way: rem and vw arithmetic in sizes rounds differently from layout, so a photo
    # drawn within 2% of a rendition's width may rightly get that one or the next.
    right = {next((w for w in ladder if w >= needed * slack), ladder[-1]) for slack in (0.98, 1.02)}
    if fetched in right:
        return ""
    return (
        f"drawn {photo['width']:.0f} px wide at {dpr}x, fetched the {fetched} px rendition,"
        f" not {' or '.join(map(str, sorted(right)))}"
    )


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    data = tmp_path_factory.mktemp("seed")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    for command in (["migrate", "--no-input"], ["shell", "-c", BUILD], ["publish", "--all"]):
        subprocess.run([FILMSTRIP, *command], env=env, check=True, capture_output=True, cwd=REPO)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [FILMSTRIP, "serve", "--no-migrate", "--port", str(port)]
    with running(command, env, ready_url=f"{base}/") as server:
        yield base
    assert server.returncode == 0, server.output()


@pytest.mark.parametrize(
    ("essay", "scheme"),
    [("/seed/", "light"), ("/seed/", "dark"), ("/seed-gallery/", "light")],
    ids=["paper-light", "paper-dark", "gallery"],
)
@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=lambda v: str(v))
def test_every_photo_is_seen_whole_and_nothing_moves(seed, browser, width, height, essay, scheme):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{seed}{essay}", wait_until="load")
    measured = measure(page)
    found = problems(measured)
    violations = axe_violations(page)
    context.close()
    assert len(measured["photos"]) == 80
    assert found == [], "\n".join(found)
    assert violations == [], json.dumps(violations, indent=1)


def test_the_nu_html_checker_finds_no_errors(seed, tmp_path):
    files = []
    for essay in ("seed", "seed-gallery"):
        files.append(tmp_path / f"{essay}.html")
        files[-1].write_bytes(urllib.request.urlopen(f"{seed}/{essay}/").read())
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)


# The checks above must be able to fail: each breaks one promise on purpose, where it takes a
# photo on the essay's fourth (a landscape, which every layout shows whole) or on one far
# down, which chromium has not fetched yet.
BREAKS = {
    "too tall": (3, "img.style.maxHeight = 'none'; img.style.height = innerHeight * 1.5 + 'px';"),
    "sideways": (3, "document.querySelector('article').style.minWidth = '150vw';"),
    "shift": (
        3,
        """await new Promise((resolve) => setTimeout(resolve, 100));
        const late = document.createElement("p");
        late.style.height = "200px";
        document.querySelector("article").prepend(late);""",
    ),
    "sizes": (
        60,
        "img.closest('picture').querySelectorAll('source, img')"
        ".forEach((s) => { s.sizes = '10px'; });",
    ),
}
CAUGHT = {  # what the report must say (each part), {id} the broken photo's anchor
    "too tall": ["{id} is 1350 px tall in a 900 px window"],
    "sideways": ["scrolls sideways: 2160 px wide in 1440"],
    "shift": ["layout shifted while loading"],
    "sizes": ["{id}: drawn ", "fetched the 480 px rendition"],
}


@pytest.mark.parametrize("broken", BREAKS)
def test_a_broken_page_is_caught(seed, browser, broken):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{seed}{ESSAY}", wait_until="load")
    index, script = BREAKS[broken]
    photo = page.evaluate(
        f"""async () => {{
        const img = document.querySelectorAll("article picture img")[{index}];
        {script};
        return img.closest("figure").id; }}"""
    )
    found = problems(measure(page))
    page.close()
    parts = [part.format(id=photo) for part in CAUGHT[broken]]
    assert any(all(part in problem for part in parts) for problem in found), found


def test_a_phone_at_3x_fetches_each_photo_for_2x(seed, browser):
    # filmstrip.layout.DENSE: beyond 2.5x, sizes says two thirds of the width drawn, so a
    # photo across a 390 px phone at 3x comes at 960 px, not 1600 (a third of the bytes).
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{seed}{ESSAY}", wait_until="load")
    shown = [photo for photo in page.evaluate(PHOTOS) if photo["src"]]
    context.close()
    assert len(shown) >= 3  # the cover and the photos on the first screen at least
    assert [fetched_width_problem(photo, 2) for photo in shown] == [""] * len(shown)
    assert urlsplit(shown[0]["src"]).path.endswith("-960.webp")


def test_the_lightbox_brings_its_own_styles(seed, browser):
    # Not linked in the page's head, where they held up the first paint (test_layouts).
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{seed}{ESSAY}", wait_until="load")
    page.wait_for_function(
        "() => [...document.styleSheets].some((s) => s.href?.endsWith('/photoswipe.css'))"
    )
    page.click("figure.photo a.zoom")
    page.wait_for_selector(".pswp--open")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.pswp')).position") == (
        "fixed"
    )
    page.close()
