"""How the backlinks modules depend on one another: one way, with Pingback's codec at the bottom.

Read from the source, every import counted, those inside functions too: an import moved into a
function to dodge a cycle at load time is still a cycle in the design.
"""

from pathlib import Path

import filmstrip.backlinks
from tests.imports import imports_of, module_name

PACKAGE = "filmstrip.backlinks"
ROOT = Path(filmstrip.backlinks.__file__).parent


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    }


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path) & known.keys() - {name} for name, path in known.items()}


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules along it, or [] when there is none."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str]:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        for target in sorted(edges[name]):
            if found := visit(target, [*path, name]):
                return found
        done.add(name)
        return []

    for name in sorted(edges):
        if found := visit(name, []):
            return found
    return []


def test_the_cycle_finder_finds_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_relative_and_function_level_imports():
    edges = graph()
    assert f"{PACKAGE}.verification" in edges[f"{PACKAGE}.tasks"]  # imported inside a function
    assert f"{PACKAGE}.pingback" in edges[f"{PACKAGE}.views"]  # `from . import pingback`


def test_backlinks_modules_import_one_another_without_a_cycle():
    found = cycle(graph())
    assert not found, " → ".join(name.removeprefix(f"{PACKAGE}.") for name in found)


def test_pingback_is_a_codec_that_knows_nothing_of_django_or_the_app():
    path = ROOT / "pingback.py"
    tops = {name.split(".")[0] for name in imports_of(path)}
    assert tops <= {"xmlrpc", "enum", "defusedxml"}, tops
