"""The layout controls in the studio's inspector, in chromium on a real `filmstrip serve`: a
photo's layout chosen, photos grouped by keyboard with a shared caption, a grouping the essay
cannot have refused with the reason, and the author's preview drawing what was chosen."""

import pytest

from tests.browser.conftest import axe_violations, filmstrip
from tests.browser.test_contact_sheet import editor, essay, saved, site, tile  # noqa: F401

pytestmark = pytest.mark.browser

PASSAGE = """
from filmstrip.stories.models import Story, StoryItem
story = Story.objects.get(pk={pk})
# At photo 3's position, after it (ties are read in creation order): p1 p2 p3 text p4 p5 p6.
StoryItem.objects.create(story=story, position=3, kind="text", body="Then the rain came.")
"""


def panel(page, name):
    """Open ``name``'s tile in the inspector; its panel."""
    tile(page, name).locator(".pick").click()
    return page.locator(f"#detail-{tile(page, name).get_attribute('data-id')}")


def group_by_keyboard(panel_):
    box = panel_.locator(".group_with_next")
    box.focus()
    box.press("Space")


def said(panel_, text):
    panel_.locator(".group-said", has_text=text).wait_for(timeout=10_000)


def test_layout_and_groups_are_set_in_the_inspector(site, browser):  # noqa: F811
    base, env = site
    pk = essay(site, "lay", photos=6)
    filmstrip(env, "shell", "-c", PASSAGE.format(pk=pk))
    page = editor(browser, site, pk, density="m")

    first = panel(page, "lay-001.jpg")
    first.locator("select.layout").select_option("full")
    group_by_keyboard(first)
    said(first, "Grouped with the next photo.")
    first.locator(".group_caption").fill("Two views, an hour apart")
    saved(page)

    third = panel(page, "lay-003.jpg")
    group_by_keyboard(third)
    said(third, "Not saved: A group cannot go across a text passage")
    assert not third.locator(".group_with_next").is_checked()

    last = panel(page, "lay-006.jpg")
    group_by_keyboard(last)
    said(last, "no next photo to group with")
    assert not last.locator(".group_with_next").is_checked()
    assert axe_violations(page) == []

    items = page.request.get(f"{base}/studio/{pk}/status").json()["items"]
    grouped = [(i.get("filename"), i.get("layout"), i.get("group_with_next")) for i in items]
    assert grouped[:4] == [
        ("lay-001.jpg", "full", True), ("lay-002.jpg", "wide", False),
        ("lay-003.jpg", "wide", False), (None, None, None),
    ]  # fmt: skip
    assert items[0]["group_caption"] == "Two views, an hour apart"

    # After a reload the panel shows what the server has.
    page.reload()
    first = panel(page, "lay-001.jpg")
    assert first.locator("select.layout").input_value() == "full"
    assert first.locator(".group_with_next").is_checked()

    # The author's preview of the draft draws the group, in the first photo's layout.
    page.goto(f"{base}/lay/")
    group = page.locator("article .group")
    assert group.get_attribute("class") == "group layout-full stacks"
    assert group.locator("figure.photo").count() == 2
    assert group.locator(".group-caption").inner_text() == "Two views, an hour apart"
    # (the one failed request the console reports is the refused group across the passage)
    assert [e for e in page.errors if "status of 400" not in e] == []
    assert len(page.errors) <= 1
    page.context.close()
