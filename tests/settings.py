"""Settings for the test suite: a temporary data directory, SQLite or a throwaway PostgreSQL."""

import atexit
import os
import shutil
import tempfile

from filmstrip.conf import DEFAULTS
from filmstrip.storage.config import VARIABLES as S3_VARIABLES

_data_dir = tempfile.mkdtemp(prefix="filmstrip-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["FILMSTRIP_DATA_DIR"] = _data_dir
os.mkdir(os.path.join(_data_dir, "static"))  # as `filmstrip serve` makes it, for WhiteNoise
os.environ.pop("DATABASE_URL", None)
# The tests' own defaults whatever the developer's shell sets: every FILMSTRIP_* setting may come
# from the environment, and the site's address from HOST and PORT (snapshots name it).
for _name in [
    *DEFAULTS,
    *S3_VARIABLES,
    "FILMSTRIP_SITE_URL",
    "FILMSTRIP_ALLOWED_HOSTS",
    "HOST",
    "PORT",
]:
    os.environ.pop(_name, None)

if os.environ.get("FILMSTRIP_TEST_DATABASE") == "postgres":
    from tests.pgcluster import start_cluster

    os.environ["DATABASE_URL"] = start_cluster()
    os.environ.setdefault("FILMSTRIP_SECRET_KEY", "test-only-not-secret")

from filmstrip.project.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
