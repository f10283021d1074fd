"""The photo storage fails as an upload finishes: the author reads why, and the editor keeps
trying the same upload until the storage takes it, without sending the file again."""

import pytest
import pyvips

from tests.browser.conftest import author_site, new_essay, sign_in

pytestmark = pytest.mark.browser


def test_an_upload_the_storage_cannot_take_yet_is_stored_once_it_can(browser, tmp_path):
    photo = tmp_path / "harbour.jpg"
    bands = [pyvips.Image.gaussnoise(600, 400, sigma=60).cast("uchar") for _ in range(3)]
    bands[0].bandjoin(bands[1:]).jpegsave(str(photo), Q=90)
    data = tmp_path / "site"
    # A folder the originals cannot go into (a file in its place): a real OSError at finish,
    # as a disk gone read-only or an unreachable object storage gives.
    originals = data / "media" / "originals"
    originals.parent.mkdir(parents=True)
    originals.write_bytes(b"")
    with author_site(data) as base:
        page = browser.new_page()
        sign_in(page, base)
        new_essay(page, "Harbour")
        sent = []
        page.on("request", lambda r: sent.append((r.method, r.headers.get("content-range"))))

        page.set_input_files("#files", str(photo))
        note = page.locator(".upload-list .note")
        note.filter(has_text="could not be stored yet").wait_for(timeout=30_000)
        assert "upload is kept" in note.inner_text() and "Trying again" in note.inner_text()

        originals.unlink()  # the storage is back
        page.wait_for_function(
            "() => document.querySelectorAll('#items li.item-photo').length === 1",
            timeout=60_000,
        )
        puts = [r for m, r in sent if m == "PUT"]
        size = photo.stat().st_size
        assert [m for m, _ in sent].count("POST") == 1, "the same upload, not a new one"
        assert puts.count(f"bytes 0-{size - 1}/{size}") == 1, "the file was sent once"
        assert f"bytes {size}-{size - 1}/{size}" in puts, "then only its end, to finish it"
        assert any(originals.iterdir())
        page.close()
