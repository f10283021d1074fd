"""The author's pages in both colour schemes, in chromium on a real `filmstrip serve` with the
demo essay, comments and a link back waiting, an essay closed to comments and one scheduled:
sign-in, essays, editor, history, site settings and the comments desk (each tray, and a reply
being written) pass axe (colour contrast included) in light and dark, on a phone and a desktop.
Screenshots of each are left in the test's temporary directory."""

import os

import pytest

from tests.browser.conftest import (
    FILMSTRIP,
    axe_violations,
    filmstrip,
    free_port,
    running,
    wait_for_photos,
)
from tests.conftest import migrated

pytestmark = pytest.mark.browser

HELD = """
from datetime import timedelta
from django.utils import timezone
from filmstrip.backlinks.models import Backlink
from filmstrip.comments.models import Comment
from filmstrip.stories import publishing
from filmstrip.stories.models import Story
story = Story.objects.get(slug="field-notes")
for name, body in [("Ann", "The light on the water!"), ("Bob", "Cheap watches here")]:
    Comment.objects.create(story=story, author_name=name, author_email=f"{name}@example.org",
                           body=body, moderation_reasons=["first comment from this address"])
Comment.objects.create(story=story, author_name="Spammer", body="Buy now", status="spam")
Backlink.objects.create(kind="webmention", story=story, source="https://blog.example.net/walk",
                        target="https://example.org/field-notes/", verification="verified",
                        received_at=timezone.now(), title="A walk through the field notes",
                        author_name="Dee", excerpt="The ridge at dawn, seen from below.")
closed = publishing.publish(Story.objects.create(title="Harbour", comments_open=False))
Comment.objects.create(story=closed, author_name="Cy", body="Does the ferry still run?")
later = timezone.now() + timedelta(days=30)
publishing.schedule(Story.objects.create(title="Night market"), later)
print(story.pk)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("schemes")
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "DJANGO_SUPERUSER_PASSWORD": "pw"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    migrated(data, demo=True)
    filmstrip(env, "createsuperuser", "--no-input", "--username", "ed", "--email", "e@example.org")
    essay = int(filmstrip(env, "shell", "-c", HELD).split()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([FILMSTRIP, "serve", "--no-migrate", "--port", str(port)], env, ready_url=base):
        wait_for_photos(base)
        yield base, essay


@pytest.mark.parametrize("width,height", [(390, 1600), (1440, 900)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_author_page_passes_axe_in_both_schemes(
    site, browser, scheme, width, height, tmp_path
):
    base, essay = site
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    problems = {}

    def check(name):
        page.screenshot(path=str(tmp_path / f"{name}-{scheme}-{width}.png"), full_page=True)
        problems[name] = axe_violations(page)
        # Nothing wider than the window: a phone never scrolls sideways.
        problems[name] += [
            f"{w} px wide"
            for w in [page.evaluate("document.documentElement.scrollWidth")]
            if w > width
        ]

    page.goto(f"{base}/admin/login/?next=/studio/")
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    check("sign-in")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "wrong")
    page.click("input[type=submit]")
    page.wait_for_selector(".messages")
    check("sign-in-refused")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/studio/")
    check("essays")
    # Every fact of every essay in sight, what waits for the author too: no sideways scroll.
    edges = page.eval_on_selector_all(
        ".essays td", "cells => cells.map(c => c.getBoundingClientRect().right)"
    )
    assert max(edges) <= width
    for name, path in [
        ("editor", f"/studio/{essay}/"),
        ("history", f"/studio/{essay}/history"),
        ("settings", "/studio/settings"),
        ("desk", "/studio/comments"),
        ("desk-spam", "/studio/comments?status=spam"),
    ]:
        page.goto(base + path, wait_until="load")
        check(name)
        if name == "editor":  # a photo open in the inspector; the check before publishing
            page.locator("#items li.item-photo .pick").nth(2).click()
            page.wait_for_function(
                "() => document.querySelector('.detail:not([hidden]) .preview')?.complete"
            )
            check("editor-inspector")
            page.evaluate("document.querySelector('dialog.publish-check').showModal()")
            check("publish-check")
        if name == "desk":  # every reply open, the closed essay's note among them
            replies = "document.querySelectorAll('details.author-reply')"
            page.evaluate(f"{replies}.forEach(d => d.open = true)")
            assert page.locator(".author-reply .preview-hint").count() == 1
            # In the studio's type and measure, untouched by the essay page's reply links'.
            style = page.evaluate(f"getComputedStyle({replies}[0]).marginLeft")
            assert style == "0px"
            check("desk-replying")
    context.close()
    assert problems == {name: [] for name in problems}


# Where the first letter of a text passage's tile sits against the tile's tick box.
FIRST_LETTER = """() => {
  const tile = document.querySelector('#items li.item-text');
  const gist = tile.querySelector('.gist');
  const range = document.createRange();
  range.setStart(gist.firstChild, 0);
  range.setEnd(gist.firstChild, 1);
  return {letter: range.getBoundingClientRect().left,
          box: tile.querySelector('.select').getBoundingClientRect().right};
}"""


@pytest.mark.parametrize("width", [390, 1440])
def test_the_sheet_s_controls_keep_their_own_room(site, browser, width):
    base, essay = site
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/admin/login/?next=/studio/{essay}/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/studio/{essay}/")
    # The density's radio buttons are their own size, beside their words, not 4.5rem wide.
    radios = page.eval_on_selector_all(
        ".density input", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert radios and max(radios) < 24, radios
    # A passage's first words start after its tick box rather than under it.
    where = page.evaluate(FIRST_LETTER)
    assert where["letter"] >= where["box"], where
    context.close()
