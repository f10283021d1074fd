"""A WordPress export imported with `filmstrip import wordpress` into the running site, then read
in chromium: photos shown with WordPress's captions and alt text, the dates, the thread, the
links back, and an old address followed to the essay."""

import pytest

from tests.browser.conftest import axe_violations, filmstrip, reload_until
from tests.conftest import DEMO_PHOTOS
from tests.migration.wordpress.test_importer import (
    GALLERY,
    attachment,
    comment,
    export,
    item,
)

pytestmark = pytest.mark.browser

ESSAY = "/half-marathon/"


@pytest.fixture(scope="module")
def imported(site, tmp_path_factory):
    """The export and its uploads, made of photos the demo has not stored (each file is
    stored once, by checksum): the demo's, re-encoded smaller."""
    import pyvips

    tmp = tmp_path_factory.mktemp("wordpress")
    month = tmp / "uploads" / "2014" / "04"
    month.mkdir(parents=True)
    for demo, name in (("prairie-falcon.jpg", "falcon.jpg"), ("ridge.jpg", "ridge.jpg")):
        pyvips.Image.thumbnail(str(DEMO_PHOTOS / demo), 1100).jpegsave(str(month / name), Q=85)
    thread = [
        comment(1, "Well run!", author="Bo"),
        comment(2, "Thank you, Bo.", parent=1, author="Ann"),
        comment(3, "Buy pills", approved="spam"),
        comment(4, "[…] a fine race […]", type="pingback", author="Other blog",
                url="https://other.example/race/"),
    ]  # fmt: skip
    path = tmp / "export.xml"
    path.write_text(
        export(
            item(10, "Half Marathon", GALLERY, comments=thread),
            attachment(101, "falcon.jpg", parent=10),
            attachment(102, "ridge.jpg", parent=10),
        ),
        encoding="utf-8",
    )
    output = filmstrip(site.env, "import", "wordpress", str(path), "--media", str(tmp / "uploads"))
    assert "essays: 1 created" in output, output
    return output


def test_an_imported_essay_reads_as_it_did_on_wordpress(site, imported, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    reload_until(
        page,
        f"{site}{ESSAY}",
        lambda p: (
            p.locator("figure.photo").count() == 2 and not p.locator(".photo-pending").count()
        ),
        seconds=120,
    )
    assert page.locator("h1").inner_text() == "Half Marathon"
    assert (
        page.locator(".dateline").inner_text().strip() == "Updated April 28, 2014 · by Ann Walker"
    )

    figures = page.locator("figure.photo")
    falcon = figures.nth(0)
    falcon.scroll_into_view_if_needed()
    assert falcon.locator("figcaption").inner_text().startswith("The falcon at the start")
    assert falcon.locator("figcaption em").inner_text() == "falcon"
    img = falcon.locator("img")
    img.evaluate("img => img.decode()")
    assert img.evaluate("img => img.naturalWidth") > 0
    assert img.get_attribute("alt") == "A falcon leaves its nest"
    assert figures.nth(1).locator("img").get_attribute("alt") == "The ridge"
    assert "The start, at dawn." in page.locator("article.essay").inner_text()

    assert page.locator("#comments-title").inner_text() == "2 thoughts on “Half Marathon”"
    reply = page.locator("li.comment li.comment")
    assert reply.count() == 1 and "Thank you, Bo." in reply.inner_text()
    assert "Buy pills" not in page.content()
    assert "Other blog" in page.locator("#backlinks-title").locator("..").inner_text()
    assert axe_violations(page) == []

    # The old permalink and the old ?p= address both lead here.
    for old in ("/2014/04/27/half-marathon/", "/?p=10"):
        page.goto(f"{site}{old}", wait_until="load")
        assert page.url == f"{site}{ESSAY}", old
    page.close()
