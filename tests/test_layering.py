"""Dependencies flow one way (STYLE.md): imaging is a pure image pipeline that imports no Django
and nothing of Filmstrip outside itself; photos imports nothing from stories (stories imports
photos). Read from the source with ast, so an import inside a function counts too."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "src"

# (modules under this prefix, may not import modules under these prefixes, except these)
RULES = [
    ("filmstrip.imaging", ("django", "filmstrip"), ("filmstrip.imaging",)),
    ("filmstrip.photos", ("filmstrip.stories",), ()),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` imports, absolute, wherever the import statement stands; for
    ``from a import b`` both ``a`` and ``a.b`` (b may be a module)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(prefix: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / prefix.replace(".", "/")).rglob("*.py")):
        module = module_name(path)
        for name in sorted(imports(path.read_text(), module, path.name == "__init__.py")):
            if any(under(name, f) for f in forbidden) and not any(under(name, a) for a in allowed):
                found.append(f"{module} imports {name}")
    return found


@pytest.mark.parametrize(("prefix", "forbidden", "allowed"), RULES, ids=[r[0] for r in RULES])
def test_dependencies_flow_one_way(prefix, forbidden, allowed):
    assert (PACKAGE / prefix.replace(".", "/")).is_dir()
    assert violations(prefix, forbidden, allowed) == []


def test_every_kind_of_import_is_seen():
    source = (
        "import django.db\n"
        "from .render import render\n"
        "from .. import stories\n"
        "def late():\n"
        "    from ..photos.models import Photo\n"
    )
    found = imports(source, "filmstrip.imaging.probe")
    assert {"django.db", "filmstrip.imaging.render", "filmstrip.stories"} <= found
    assert "filmstrip.photos.models" in found
    assert imports("from . import vips", "filmstrip.imaging", is_package=True) >= {
        "filmstrip.imaging.vips"
    }
    assert "filmstrip.stories.models" in imports(
        "def f():\n    from filmstrip.stories.models import Story\n", "filmstrip.photos.models"
    )
