"""The `filmstrip` command as a user runs it: a real process with its own data directory."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, corpus_file, migrated

FILMSTRIP = str(Path(sys.executable).with_name("filmstrip"))


def environment(data_dir, **extra) -> dict[str, str]:
    """What a user's shell gives `filmstrip`: no test settings, their own data directory."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "FILMSTRIP_SECRET_KEY")
    }
    return {**env, "FILMSTRIP_DATA_DIR": str(data_dir), **extra}


def run(data_dir, *args, env=None, check=True):
    return subprocess.run(
        [FILMSTRIP, *args],
        capture_output=True,
        text=True,
        env=environment(data_dir, **(env or {})),
        check=check,
        timeout=300,
        cwd=REPO,
    )


def test_django_commands_pass_through(tmp_path):
    result = run(tmp_path, "migrate", "--no-input")
    assert "Applying stories.0001_initial... OK" in result.stdout
    assert (tmp_path / "filmstrip.sqlite3").exists()
    secret = tmp_path / "secret_key"
    assert secret.stat().st_mode & 0o777 == 0o600
    mode = (
        subprocess.check_output(
            ["sqlite3", str(tmp_path / "filmstrip.sqlite3"), "PRAGMA journal_mode;"], text=True
        )
        if Path("/usr/bin/sqlite3").exists()
        else "wal\n"
    )
    assert mode.strip() == "wal"


def test_import_folder_from_the_command_line(tmp_path, photo_folder):
    photo_folder.add("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    photo_folder.write("notes.txt", b"not a photo")
    data = tmp_path / "data"
    migrated(data)
    result = run(
        data, "import", "folder", str(photo_folder.path), "--title", "Falcons", "--publish"
    )
    assert "Created “Falcons” (published) at /falcons/: 1 photo(s) added" in result.stdout
    assert "failed   notes.txt: not an image" in result.stderr
    again = run(data, "import", "folder", str(photo_folder.path), "--title", "Falcons")
    assert "0 photo(s) added, 1 already there" in again.stdout
    missing = run(data, "import", "folder", str(tmp_path / "nowhere"), "--title", "x", check=False)
    assert missing.returncode != 0 and "is not a folder" in missing.stderr


def test_a_shared_database_without_a_secret_key_refuses_to_start(tmp_path):
    result = run(
        tmp_path, "check", check=False, env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    )
    assert result.returncode != 0
    assert "FILMSTRIP_SECRET_KEY is not set" in result.stderr


def test_bad_boolean_settings_are_reported(tmp_path):
    result = run(tmp_path, "check", check=False, env={"FILMSTRIP_DEBUG": "maybe"})
    assert result.returncode != 0 and "FILMSTRIP_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("photo", ["photos/exif-orientation-examples/Landscape_3.jpg"])
def test_worker_command_line_options(tmp_path, photo):
    result = run(tmp_path, "worker", "--concurrency", "0", check=False)
    assert result.returncode != 0 and "--concurrency must be at least 1" in result.stderr
    assert corpus_file(photo).exists()


def test_rebuild_waits_for_a_real_worker_with_a_progress_report(tmp_path, photo_folder):
    photo_folder.add("photos/immich-test-assets/albums/nature/prairie_falcon.jpg")
    photo_folder.add("photos/exif-orientation-examples/Landscape_5.jpg")
    data = tmp_path / "data"
    migrated(data)
    run(data, "import", "folder", str(photo_folder.path), "--title", "Two")
    worker = subprocess.Popen(
        [FILMSTRIP, "worker"],
        env=environment(data),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        run(data, "photos", "rebuild", "--all")  # queue again while the first jobs may run

        def states():
            lines = run(data, "photos", "status", "--json").stdout.splitlines()
            return [json.loads(line)["status"] for line in lines]

        deadline = time.monotonic() + 120
        while states() != ["ready"] * 2:  # a photo mid-processing is not queued again
            assert time.monotonic() < deadline, states()
            time.sleep(0.2)
        result = run(data, "photos", "rebuild", "--all", "--wait")
        assert "Queued 2 photo(s)" in result.stdout and "2 ready" in result.stdout
        assert states() == ["ready"] * 2
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def test_a_worker_killed_mid_job_loses_nothing(tmp_path, photo_folder):
    import signal
    import sqlite3
    import time

    for name in (
        "craft-beer.jpg",
        "handwritten-notes.jpg",
        "book-beside-flowers.jpg",
        "japanese-shop.jpg",
    ):
        photo_folder.add(f"photos/immich-test-assets/albums/text/{name}")
    data = tmp_path / "data"
    migrated(data)
    run(data, "import", "folder", str(photo_folder.path), "--title", "Interrupted")
    worker = subprocess.Popen(
        [FILMSTRIP, "worker", "--interval=0.05"],
        env=environment(data),
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def states():
        with sqlite3.connect(data / "filmstrip.sqlite3", timeout=10) as db:
            return [row[0] for row in db.execute("SELECT status FROM photos_photo")]

    deadline = time.monotonic() + 60
    while "processing" not in states():
        assert time.monotonic() < deadline, "the worker never started a job"
        time.sleep(0.01)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its rendering child, mid-job
    worker.wait()
    # (the job seen "processing" may have finished in the instant before the kill)
    assert "pending" in states()

    run(data, "worker", "--batch", "--sole-worker")  # what `filmstrip serve` does on start
    assert states() == ["ready"] * 4


def test_output_cut_short_by_a_closed_pipe_ends_quietly(tmp_path):
    """`filmstrip photos status | head -1`: no traceback when the reader stops early."""
    migrated(tmp_path)
    status = subprocess.Popen(
        [FILMSTRIP, "photos", "status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(tmp_path),
        cwd=REPO,
    )
    status.stdout.close()  # the reader is gone before the first line is written
    _, errors = status.communicate(timeout=120)
    assert b"Traceback" not in errors, errors.decode()
    assert status.returncode == 141
