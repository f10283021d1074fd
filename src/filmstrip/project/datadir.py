"""The data directory: its owner's alone (0700, files 0600), made when first needed.

Reading the settings creates nothing, so a tool that only imports them (a type checker,
`filmstrip --help`) leaves no `filmstrip-data` behind. The embedded database's first connection,
`filmstrip serve` and the WSGI application make the directory and the secret key.
"""

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings


def make_private(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def prepare() -> None:
    """The data directory, its secret key (when the environment gives none) and the static
    folder WhiteNoise looks in (empty until `collectstatic`: the finders serve the files)."""
    make_private(Path(settings.DATA_DIR))
    str(settings.SECRET_KEY)  # the embedded key is made on first use: now, before any child
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)


def private_file(path: Path) -> None:
    """``path`` created empty and 0600 unless it exists, before a library would create it
    world-readable (SQLite gives its WAL files the database file's mode)."""
    make_private(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def secret_key(directory: Path) -> str:
    """One key per data directory, written once; processes starting together agree on it."""
    path = directory / "secret_key"
    if not path.exists():
        make_private(directory)
        fd, draft = tempfile.mkstemp(dir=directory)  # 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)  # fails if another process made it first: theirs is the key
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()
