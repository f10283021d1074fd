"""Publishing from the editor in chromium: the photos without alt text named in the page (no
confirm()), each a link to its alt text; a word after with a link to the live essay; a schedule
taken in the browser's own time zone."""

import urllib.request

import pytest
from PIL import Image

from tests.browser.conftest import axe_violations, new_essay
from tests.browser.test_studio import signed_in, studio  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_publishing_names_photos_without_alt_text_then_links_to_the_essay(
    studio,  # noqa: F811
    browser,
    tmp_path,
):
    photo = tmp_path / "harbour-at-dusk.jpg"
    Image.new("RGB", (900, 600), (40, 70, 120)).save(photo, "JPEG")
    page = signed_in(browser, studio, 1280, 900)
    native = []  # confirm() and alert() are not how the editor asks
    page.on("dialog", lambda dialog: (native.append(dialog.message), dialog.dismiss()))
    new_essay(page, "Harbour")
    page.set_input_files("#files", str(photo))
    page.wait_for_function(
        "() => document.querySelector('#items li.item-photo')?.dataset.status === 'ready'",
        timeout=120_000,
    )

    page.click("text=Publish now")
    check = page.locator("dialog#publish-check")
    check.wait_for(state="visible")
    assert page.evaluate("() => document.querySelector('#publish-check').matches(':modal')")
    assert check.locator(".missing-alt a").all_inner_texts() == ["Photo 1: harbour-at-dusk.jpg"]
    for scheme in ("light", "dark"):  # the check is readable in both schemes
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(tmp_path / f"publish-check-{scheme}.png"))
        assert axe_violations(page) == [], scheme
    check.locator(".missing-alt a").click()  # to the photo's alt text, ready to type
    check.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.matches('.detail-photo:not([hidden]) .alt')")
    assert page.locator("#items li.item-photo.current").count() == 1, "chosen in the sheet"
    page.keyboard.type("Boats moored at dusk, the water dark blue")

    with page.expect_navigation():
        page.click("text=Publish now")  # waits for the alt text to be saved, then publishes
    said = page.locator(".messages .live")
    assert "Published: readers can see it now." in said.inner_text()
    live = said.locator("a").get_attribute("href")
    assert live == "/harbour/"
    with urllib.request.urlopen(studio + live, timeout=10) as response:
        html = response.read().decode()
    assert "Boats moored at dusk" in html
    assert native == []


def test_a_schedule_is_taken_in_the_browsers_time_zone(studio, browser):  # noqa: F811
    context = browser.new_context(timezone_id="America/New_York", locale="en-GB")
    page = context.new_page()
    page.goto(f"{studio}/admin/login/?next=/studio/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/studio/")
    new_essay(page, "Harbour at night")
    assert page.locator(".zone-name").inner_text() == "(America/New_York time)"
    page.fill('input[name="when"]', "2030-07-01T10:00")
    with page.expect_navigation():
        page.click("text=Schedule")
    said = page.locator(".messages").inner_text()
    assert "Scheduled: it goes live on Monday 1 July 2030, 10:00 (America/New_York)." in said
    # The header gives the same moment in the browser's zone, not the server's (UTC, 14:00).
    moment = page.locator(".publishing time.moment")
    assert moment.get_attribute("datetime").startswith("2030-07-01T14:00:00")
    assert "10:00" in moment.inner_text() and "America/New_York" in moment.inner_text()
    context.close()


def test_an_essay_is_deleted_from_the_editor_once_the_author_is_sure(studio, browser):  # noqa: F811
    page = signed_in(browser, studio, 390, 844)
    new_essay(page, "Doomed draft")
    editor = page.url
    page.click("text=Delete this essay")
    page.click("button:text-is('Delete the essay')")  # the box is not ticked: nothing happens
    assert page.url == editor
    assert page.evaluate("() => !document.querySelector('[name=sure]').validity.valid")
    page.check("[name=sure]")
    with page.expect_navigation():
        page.click("button:text-is('Delete the essay')")
    assert page.url.endswith("/studio/")
    assert "“Doomed draft” was deleted." in page.locator(".messages").inner_text()
    assert page.locator("text=Doomed draft").count() == 1  # the message, no row
