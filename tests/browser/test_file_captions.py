"""In chromium: a caption the file gave is marked "from the file" until the author types in it;
a camera's default caption never shows at all."""

import pytest

from tests.browser.conftest import new_essay
from tests.browser.test_studio import signed_in, studio  # noqa: F401 (fixture)
from tests.conftest import corpus_file
from tests.made import DESCRIPTION, MAKE, camera_jpeg, scene
from tests.studio.conftest import FALCON

pytestmark = pytest.mark.browser


def _row(page, name):
    """The photo's panel in the inspector, opened from its tile."""
    tile = page.locator(f'#items li.item-photo[data-filename="{name}"]')
    tile.locator(".pick").click()
    return page.locator(f"#detail-{tile.get_attribute('data-id')}")


def test_the_from_the_file_marker_shows_until_the_author_changes_the_caption(
    studio,  # noqa: F811
    browser,
    tmp_path,
):
    kodak = tmp_path / "100_0001.JPG"
    camera_jpeg(kodak, scene(64, 48), {DESCRIPTION: "KODAK Digital Still Camera", MAKE: "KODAK"})
    page = signed_in(browser, studio, 1280, 900)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    new_essay(page, "From the file")
    page.set_input_files("#files", [str(corpus_file(FALCON)), str(kodak)])
    page.wait_for_function(
        "() => document.querySelectorAll('#items li.item-photo').length === 2", timeout=60_000
    )
    falcon = _row(page, "prairie_falcon.jpg")
    assert (
        falcon.locator("textarea.caption").input_value().startswith("Adult female prairie falcon")
    )
    assert falcon.locator(".from-file").first.is_visible()
    camera = _row(page, "100_0001.JPG")
    assert camera.locator("textarea.caption").input_value() == ""
    assert not camera.locator(".from-file").first.is_visible()

    page.reload()  # as the server renders it
    falcon = _row(page, "prairie_falcon.jpg")
    assert falcon.locator(".from-file").first.is_visible()
    falcon.locator("textarea.caption").fill("The falcon leaves the nest")
    assert not falcon.locator(".from-file").first.is_visible()
    page.wait_for_function(
        "() => document.querySelector('.save-state').textContent === 'All changes saved'"
    )
    page.reload()
    assert not _row(page, "prairie_falcon.jpg").locator(".from-file").first.is_visible()
    assert errors == []
    page.context.close()
