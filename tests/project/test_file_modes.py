"""The data directory is its owner's alone: what `filmstrip` creates there is 0700 or 0600."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pyvips

from tests.conftest import REPO

FILMSTRIP = str(Path(sys.executable).with_name("filmstrip"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(env, *args):
    # The usual umask of a login shell: modes must not depend on the operator's being stricter.
    subprocess.run(
        [FILMSTRIP, *args],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0o022),
    )


def test_a_fresh_data_directory_and_what_goes_into_it_are_private(tmp_path):
    data = tmp_path / "new" / "filmstrip-data"
    env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    run(env, "migrate", "--no-input")
    assert mode(data) == 0o700
    database = data / "filmstrip.sqlite3"
    assert database.stat().st_size > 0  # SQLite wrote the schema into the file made for it
    for path in [database, data / "secret_key", *data.glob("filmstrip.sqlite3-*")]:
        assert mode(path) == 0o600, path

    photos = tmp_path / "photos"
    photos.mkdir()
    pyvips.Image.xyz(64, 48).extract_band(0).cast("uchar").write_to_file(str(photos / "a.jpg"))
    run(env, "import", "folder", str(photos), "--title", "Private")
    originals = [path for path in (data / "media").rglob("*") if path.is_file()]
    assert originals, "the import stored no original"
    for path in originals:
        assert mode(path) == 0o600, path
    for path in [data / "media", *(p for p in (data / "media").rglob("*") if p.is_dir())]:
        assert mode(path) == 0o700, path
