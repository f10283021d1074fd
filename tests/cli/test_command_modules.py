"""Command modules stay thin: what two commands share lives in a module of its own, never in
a command that the other imports (loading one command should not load another)."""

import ast
from pathlib import Path

import filmstrip

SOURCE = Path(filmstrip.__file__).parent


def command_modules() -> list[Path]:
    return sorted(SOURCE.glob("*/management/commands/*.py"))


def imports_of(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative ones resolved), anywhere in it."""
    package = ".".join(("filmstrip", *path.parent.relative_to(SOURCE).parts))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


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
