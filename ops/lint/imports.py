"""The project's import contracts, checked from the source (nothing is imported or run).

    python -m ops.lint.imports [ROOT]          # exit 1 and one line per violation
    python -m ops.lint.imports --cycles [ROOT] # the cycles between core packages, for a report
                                               # (--cycles --deferred: imports in functions too)

The contracts (DESIGN.md, "Rules of the house"):

- ``core-imports-no-plugin``: nothing in ``dugnad`` imports a plugin package.
- ``plugins-are-independent``: no plugin imports another plugin.
- ``plugins-use-the-surface``: a plugin imports from the core only ``dugnad.sdk``.
- ``tenancy-not-web``: ``dugnad.tenancy`` imports nothing from the web layer (``dugnad.web``,
  and any ``views``, ``forms`` or ``pages`` module of the core).
- ``rq-only-in-jobs``: only ``dugnad.jobs`` imports ``rq``.
- ``no-core-cycles``: the core's packages (``dugnad.<name>``) form no import cycle at module
  level. An import inside a function, or under ``if TYPE_CHECKING:``, runs later and does not
  count; every other one does.

Plugins are the packages in ``plugins/``; the core is ``platform/dugnad``. Both are found
afresh on every run, so a new plugin is checked without changing this file.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

CORE = "dugnad"
SURFACE = "dugnad.sdk"
WEB_LAYER_MODULES = ("views", "forms", "pages")


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module
    target: str  # the module imported (for ``from a import b``: ``a.b`` when that is a module, else ``a``)
    line: int
    module_level: bool
    path: Path


@dataclass(frozen=True)
class Violation:
    contract: str
    message: str

    def __str__(self) -> str:
        return f"{self.contract}: {self.message}"


# --- reading the source ---------------------------------------------------------------------------


def modules(root: Path) -> dict[str, Path]:
    """Every module of the core and the plugins: dotted name -> file."""
    found: dict[str, Path] = {}
    for base in (root / "platform", root / "plugins"):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).with_suffix("").parts
            if any(not part.isidentifier() for part in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                found[".".join(parts)] = path
    return found


def plugin_packages(root: Path) -> set[str]:
    base = root / "plugins"
    return {p.name for p in base.iterdir() if (p / "__init__.py").is_file()} if base.is_dir() else set()


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: dict[str, Path], path: Path):
        self.module, self.is_package, self.known, self.path = module, is_package, known, path
        self.depth = 0  # inside a function or a TYPE_CHECKING block
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.AST) -> None:
        self.found.append(Import(self.module, target, node.lineno, self.depth == 0, self.path))

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        if checking:
            self.depth += 1
            for child in node.body:
                self.visit(child)
            self.depth -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        for alias in node.names:
            candidate = f"{base}.{alias.name}" if base else alias.name
            self._add(candidate if candidate in self.known else base, node)


def imports(root: Path) -> list[Import]:
    known = modules(root)
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        collector = _Collector(name, path.name == "__init__.py", known, path)
        collector.visit(tree)
        found.extend(collector.found)
    return found


# --- the contracts ----------------------------------------------------------------------------------


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _where(item: Import, root: Path) -> str:
    try:
        path = item.path.relative_to(root)
    except ValueError:
        path = item.path
    return f"{path}:{item.line} imports {item.target}"


def _web_layer(module: str) -> bool:
    return _within(module, "dugnad.web") or (
        _top(module) == CORE and module.rsplit(".", 1)[-1] in WEB_LAYER_MODULES)


def core_package(module: str) -> str | None:
    """``dugnad.<name>`` for a module of the core (``dugnad`` itself is no package of its own)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == CORE and len(parts) > 1 else None


def package_graph(found: list[Import], *, deferred: bool = False) -> dict[str, set[str]]:
    """The core packages each one imports at module level (with ``deferred``, also inside
    functions: the graph as it is once everything has been imported)."""
    graph: dict[str, set[str]] = {}
    for item in found:
        source, target = core_package(item.importer), core_package(item.target)
        if source is None or not (item.module_level or deferred):
            continue
        graph.setdefault(source, set())
        if target is not None and target != source:
            graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(1000, 10 * len(graph) + 100))
    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


def check(root: Path) -> list[Violation]:
    root = Path(root)
    plugins = plugin_packages(root)
    found = imports(root)
    problems: list[Violation] = []
    for item in {(i.importer, i.target, i.line): i for i in found}.values():
        source, target = _top(item.importer), _top(item.target)
        if source == CORE and target in plugins:
            problems.append(Violation("core-imports-no-plugin", _where(item, root)))
        if source in plugins and target in plugins and target != source:
            problems.append(Violation("plugins-are-independent", _where(item, root)))
        if source in plugins and target == CORE and not _within(item.target, SURFACE):
            problems.append(Violation("plugins-use-the-surface", _where(item, root)))
        if _within(item.importer, "dugnad.tenancy") and _web_layer(item.target):
            problems.append(Violation("tenancy-not-web", _where(item, root)))
        if target == "rq" and not _within(item.importer, "dugnad.jobs"):
            problems.append(Violation("rq-only-in-jobs", _where(item, root)))
    graph = package_graph(found)
    for group in cycles(graph):
        edges = [f"{a} -> {b}" for a in group for b in sorted(graph[a]) if b in group]
        problems.append(Violation("no-core-cycles", f"{len(group)} packages import each other at module level: "
                                  + ", ".join(edges)))
    return problems


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    if "--cycles" in argv:
        for group in cycles(package_graph(imports(root), deferred="--deferred" in argv)):
            print(f"{len(group)}: " + " ".join(p.split(".", 1)[1] for p in group))
        return 0
    problems = check(root)
    for problem in problems:
        print(problem)
    print(f"import contracts: {len(problems)} violation(s)" if problems else "import contracts: kept")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
