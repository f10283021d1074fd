"""benchmarks/ingest.py on a real folder: what is not a photo is skipped and counted."""

import subprocess
import sys

from benchmarks.ingest import folder_photos

from tests.conftest import DEMO_PHOTOS, REPO


def junk_folder(tmp_path, with_photo: bool):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a photo\n")
    whole = (DEMO_PHOTOS / "cactus.jpg").read_bytes()
    (folder / "cut-short.jpg").write_bytes(whole[: len(whole) // 2])  # header intact, data cut
    (folder / "cactus.xmp").write_text("<x:xmpmeta/>")  # a sidecar: not even tried
    if with_photo:
        (folder / "cactus.jpg").write_bytes(whole)
    return folder


def test_only_whole_photos_are_measured(tmp_path):
    photos, skipped = folder_photos(junk_folder(tmp_path, with_photo=True))
    assert [p.name for p in photos] == ["cactus.jpg"]
    reasons = dict(skipped)
    assert set(reasons) == {"notes.txt", "cut-short.jpg"}
    assert "not an image" in reasons["notes.txt"]
    assert "could not be decoded" in reasons["cut-short.jpg"]


def test_a_folder_without_photos_is_reported_not_a_crash(tmp_path):
    run = subprocess.run(
        [sys.executable, "benchmarks/ingest.py", "--photos", str(junk_folder(tmp_path, False))],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert "2 files skipped" in run.stdout
    assert run.returncode == 1 and run.stderr.strip() == "no photos to measure"
