"""Dependencies flow one way (STYLE.md): imaging is a pure image pipeline that imports no Django
and nothing of Filmstrip outside itself; photos imports nothing from stories (stories imports
photos). Read from the source with ast, so an import inside a function counts too."""

import pytest

from tests.imports import SOURCE as PACKAGE
from tests.imports import imports, imports_of, module_name

# (modules under this prefix, may not import modules under these prefixes, except these)
RULES = [
    ("filmstrip.imaging", ("django", "filmstrip"), ("filmstrip.imaging",)),
    ("filmstrip.photos", ("filmstrip.stories",), ()),
]


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(prefix: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / prefix.replace(".", "/")).rglob("*.py")):
        module = module_name(path)
        for name in sorted(imports_of(path)):
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
