"""Command modules stay thin: what two commands share lives in a module of its own, never in
a command that the other imports (loading one command should not load another)."""

from pathlib import Path

import filmstrip
from tests.imports import imports_of

SOURCE = Path(filmstrip.__file__).parent


def command_modules() -> list[Path]:
    return sorted(SOURCE.glob("*/management/commands/*.py"))


def commands() -> set[str]:
    """Every command module of ours, by its module name; `_name` helpers are not commands."""
    return {
        ".".join(("filmstrip", *path.relative_to(SOURCE).with_suffix("").parts))
        for path in command_modules()
        if not path.name.startswith("_")
    }


def test_the_sweep_finds_the_commands_and_their_imports():
    names = commands()
    assert {
        "filmstrip.photos.management.commands.photos",
        "filmstrip.cli.management.commands.serve",
    } <= names
    publish = SOURCE / "published/management/commands/publish.py"
    assert "filmstrip.cli.progress.ProgressBar" in imports_of(publish)


def test_no_command_module_imports_another():
    names = commands()
    offenders = {
        f"{path.relative_to(SOURCE)} imports {target}"
        for path in command_modules()
        for target in imports_of(path) & names
    }
    assert not offenders, sorted(offenders)
