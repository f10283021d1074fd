"""Project-wide checks: the right database, current migrations, everything documented."""

import os
import re

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from filmstrip.conf import DEFAULTS
from tests.conftest import REPO

DOCS = REPO / "docs"


@pytest.mark.django_db
def test_the_database_is_the_one_asked_for():
    wanted = "postgresql" if os.environ.get("FILMSTRIP_TEST_DATABASE") == "postgres" else "sqlite"
    assert connection.vendor == wanted
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] in ("wal", "memory")  # the test database lives in memory


@pytest.mark.django_db
def test_migrations_are_current():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text()
    for name in DEFAULTS:
        assert f"`{name}`" in text, f"{name} is missing from docs/settings.md"
    source = (REPO / "src/filmstrip/project/settings.py").read_text()
    for variable in set(re.findall(r'"((?:FILMSTRIP|DATABASE)_[A-Z_]+)"', source)):
        assert f"`{variable}`" in text, f"{variable} is missing from docs/settings.md"


def test_every_filmstrip_command_is_documented():
    text = (DOCS / "cli.md").read_text()
    ours = [name for name, app in get_commands().items() if app.startswith("filmstrip")]
    assert {"serve", "worker", "demo", "import"} <= set(ours)
    for name in ours:
        assert f"filmstrip {name}" in text, f"`filmstrip {name}` is missing from docs/cli.md"


def test_readme_keeps_the_two_commands():
    readme = (REPO / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci/run").read_text()
