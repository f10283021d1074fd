"""Settings for the test suite: a temporary data directory, SQLite or a throwaway PostgreSQL."""

import atexit
import os
import shutil
import tempfile

_data_dir = tempfile.mkdtemp(prefix="filmstrip-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["FILMSTRIP_DATA_DIR"] = _data_dir
os.environ.pop("DATABASE_URL", None)

if os.environ.get("FILMSTRIP_TEST_DATABASE") == "postgres":
    from tests.pgcluster import start_cluster

    os.environ["DATABASE_URL"] = start_cluster()
    os.environ.setdefault("FILMSTRIP_SECRET_KEY", "test-only-not-secret")

from filmstrip.project.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
