"""The import rules, proved on the code's own import graph (every ``import`` and ``from …
import`` in every module, also those inside functions): the core imports no plugin, and no
plugin imports another plugin — where two modules meet, they meet through the core's hooks
and handoffs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "platform" / "dugnad"
PLUGINS = sorted(path.parent for path in (ROOT / "plugins").glob("*/__init__.py"))
PLUGIN_PACKAGES = {path.name for path in PLUGINS}


def _module_parts(path: Path) -> tuple[str, ...]:
    """The dotted name of a file, from its source root (platform/, plugins/ or the repository)."""
    for root in (ROOT / "platform", ROOT / "plugins", ROOT):
        if root in path.parents:
            return path.relative_to(root).with_suffix("").parts


def imports_of(path: Path) -> set[str]:
    """The modules a file imports (absolute names; relative imports resolved against its package;
    ``from a import b`` counts as ``a`` and ``a.b``, for b may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_parts(path)[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def graph(folder: Path) -> dict[str, set[str]]:
    return {str(path.relative_to(ROOT)): imports_of(path) for path in folder.rglob("*.py")}


def top(name: str) -> str:
    return name.split(".", 1)[0]


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    edges = graph(ROOT / "plugins" / "dugnad_volunteers")
    assert "dugnad.sdk" in edges["plugins/dugnad_volunteers/handoffs.py"]
    assert "dugnad_volunteers.needs" in edges["plugins/dugnad_volunteers/handoffs.py"]  # inside receive()
    sample = imports_of(ROOT / "tests" / "support" / "sample_plugin" / "__init__.py")
    assert "tests.support.sample_plugin.models" in sample  # from .models import …


def test_the_core_imports_no_plugin():
    assert len(PLUGIN_PACKAGES) >= 2
    wrong = {(module, name) for module, names in graph(CORE).items() for name in names if top(name) in PLUGIN_PACKAGES}
    assert wrong == set()


def test_no_plugin_imports_another_plugin():
    wrong = set()
    for folder in PLUGINS:
        for module, names in graph(folder).items():
            wrong |= {(module, name) for name in names if top(name) in PLUGIN_PACKAGES - {folder.name}}
    assert wrong == set()


def test_the_plugins_handoff_modules_use_only_the_cores_public_surface():
    for folder in PLUGINS:
        path = folder / "handoffs.py"
        if path.exists():
            core = {name for name in imports_of(path) if top(name) == "dugnad" and not name.startswith("dugnad.sdk")}
            assert core == set(), f"{path.relative_to(ROOT)} imports {core}"
