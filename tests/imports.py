"""What a module of ours imports, read from its source with ast, for the tests that hold the
design's dependencies in place (layering, command modules, the backlinks graph).

Every import counts, those inside functions too: an import moved into a function to dodge a
cycle at load time is still a dependency of the design.
"""

import ast
from pathlib import Path

from tests.conftest import REPO

SOURCE = REPO / "src"


def module_name(path: Path) -> str:
    """``src/filmstrip/a/b.py`` → ``filmstrip.a.b``; a package's ``__init__`` is the package."""
    parts = list(path.resolve().relative_to(SOURCE).with_suffix("").parts)
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


def imports_of(path: Path) -> set[str]:
    """What the module at ``path`` imports (see ``imports``)."""
    return imports(path.read_text(), module_name(path), path.name == "__init__.py")
