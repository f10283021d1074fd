import io
import json

import pytest
from django.core.management import CommandError, call_command

from filmstrip.cli.progress import ProgressBar
from filmstrip.photos.intake import add_photo
from filmstrip.photos.models import Photo
from filmstrip.photos.processing import process_photo
from tests.conftest import corpus_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(tmp_path, ready_photo):
    good = ready_photo()
    data = corpus_file("photos/immich-test-assets/albums/nature/tanners_ridge.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 3])
    bad, _ = add_photo(cut)
    process_photo(bad.pk)
    waiting, _ = add_photo(corpus_file("photos/immich-test-assets/albums/nature/silver_fir.jpg"))
    return good, Photo.objects.get(pk=bad.pk), waiting


def test_status_lists_every_photo_with_its_state(photos, capsys):
    call_command("photos", "status")
    out = capsys.readouterr().out
    assert "ready       prairie_falcon.jpg" in out
    assert "failed      cut.jpg  could not be decoded" in out
    assert "1 pending, 1 ready, 1 failed" in out


def test_status_as_json(photos, capsys):
    call_command("photos", "status", "--json")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["original_filename"]: row["status"] for row in rows} == {
        "prairie_falcon.jpg": "ready",
        "cut.jpg": "failed",
        "silver_fir.jpg": "pending",
    }
    assert rows[1]["failure_reason"].startswith("could not be decoded")


def test_rebuild_failed_requeues_only_the_failures(photos, capsys):
    good, bad, _ = photos
    call_command("photos", "rebuild", "--failed")
    assert "Queued 1 photo(s)" in capsys.readouterr().out
    bad.refresh_from_db()
    assert bad.status == "pending" and bad.failure_reason == ""
    assert Photo.objects.get(pk=good.pk).status == "ready"


def test_rebuild_needs_a_choice():
    with pytest.raises(CommandError):
        call_command("photos", "rebuild")


def test_progress_bar_draws_on_a_terminal_and_stays_quiet_otherwise():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    with ProgressBar(4, "importing", terminal) as bar:
        bar.advance(label="a.jpg")
        bar.update(4)
    assert "[##############################] 4/4" in terminal.getvalue()
    log = io.StringIO()
    with ProgressBar(4, "x", log) as bar:
        bar.advance()
    assert log.getvalue() == ""
