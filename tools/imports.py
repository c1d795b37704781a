"""The import graph of the `audit` package, by folder: cycles, two-file circles, upward imports.

Usage: python tools/imports.py [--edges] [--root PATH]

--edges lists every import; --root reads another checkout (e.g. an export of main).

Reads every audit/**/*.py with `ast` (standard library only, nothing is imported). A node is
a folder under audit/ (`audit/visits/...` is `visits`) or a module at the package's top level
(`audit/access.py` is `access`; `audit/__init__.py`, the application factory, is `audit`).
Imports inside functions count, and so do module names given to `importlib.import_module`;
imports under `if TYPE_CHECKING:` do not (they never run).

Prints the folder graph, its strongly connected components (a cycle of folders), the pairs
of modules that import each other (two-file circles), the imports that run against `LAYERS`,
and the counts. tests/domain/test_layers.py holds the same numbers at zero.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "audit"

# The layer order, lowest first: a folder may import its own layer's modules only where the
# graph stays acyclic, and any lower layer freely. A name missing here is reported.
LAYERS: list[tuple[str, ...]] = [
    # The shared layer: no feature inside, imported by all.
    ("config", "core", "db_setup", "errors", "extensions", "i18n", "ids", "labels",
     "safejson", "textfold", "textsort", "vocabulary"),
    ("charts", "scoring", "security", "storage"),  # pure cores and the file store
    ("models",),  # every feature's records
    ("access",),  # who may see and do what, over the records
    ("auth",),
    ("people",),
    ("orgs", "privacy"),
    ("notifications",),  # messages to people, under the features that announce events
    ("triggers",),  # score triggers, announced when a visit is submitted and published
    ("evidence",),
    ("visits",),
    ("actions", "checklists"),
    ("campaigns", "disputes", "review", "targets"),
    ("comparison", "jobs", "settings"),
    ("reports",),
    ("backup", "portal"),
    ("demo",),
    ("api", "web"),
    (PACKAGE,),  # the application factory
]

# Imports left out of the graph, each with its reason (module, module imported).
EXEMPT: dict[tuple[str, str], str] = {
    ("audit.core.background", PACKAGE): "an RQ job run by a bare `rq worker` process builds the "
    "app through the factory, the entry point of that process as wsgi.py is of gunicorn's",
}


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports
    target: str  # dotted module imported
    line: int
    lazy: bool  # inside a function body


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The deepest module of the package that `name` names or lies in."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """The imports of one module that land in the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.orelse:
                    visit(sub, lazy)
                continue
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    target = _resolve(alias.name, known)
                    if target:
                        found.append(Import(module, target, child.lineno, lazy))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")
                    anchor = anchor[: len(anchor) - child.level + (1 if is_package else 0)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:
                    target = _resolve(f"{base}.{alias.name}", known) or _resolve(base, known)
                    if target:
                        found.append(Import(module, target, child.lineno, lazy))
            visit(child, inner)

    visit(tree, False)
    if any(isinstance(node, ast.alias) and node.name == "import_module" for node in ast.walk(tree)):
        # Modules named by a string for importlib (audit/reports/kinds.py) count as imports.
        found += [Import(module, node.value, node.lineno, True) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and node.value in known]
    return sorted({i for i in found if i.target != module}, key=lambda i: (i.line, i.target))


def all_imports(root: Path = ROOT) -> list[Import]:
    """Every import inside the package, but the exempt ones."""
    known = modules(root)
    return [i for name, path in known.items() for i in imports_of(name, path, known)
            if (i.source, i.target) not in EXEMPT]


def folder(module: str) -> str:
    """The node of a module: its folder under the package, or itself at the top level."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE


def folder_graph(found: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        graph[folder(i.source)]
        if folder(i.source) != folder(i.target):
            graph[folder(i.source)].add(folder(i.target))
    return dict(graph)


def components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    nodes = sorted(set(graph) | {t for ts in graph.values() for t in ts})
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        result.append(sorted(group))
    return sorted(result, key=lambda g: (-len(g), g))


def mutual_pairs(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of nodes that import each other."""
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if a < b and a in graph.get(b, ()))


def module_graph(found: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        graph[i.source].add(i.target)
    return dict(graph)


def layer_of(node: str) -> int | None:
    for rank, names in enumerate(LAYERS):
        if node in names:
            return rank
    return None


def upward(found: list[Import]) -> list[Import]:
    """Imports from a folder into a higher layer (against `LAYERS`)."""
    result = []
    for i in found:
        source, target = layer_of(folder(i.source)), layer_of(folder(i.target))
        if source is not None and target is not None and target > source:
            result.append(i)
    return result


def unlayered(graph: dict[str, set[str]]) -> list[str]:
    return sorted(n for n in set(graph) | {t for ts in graph.values() for t in ts}
                  if layer_of(n) is None)


def report(found: list[Import], out=sys.stdout, edges: bool = False,
           root: Path = ROOT) -> dict[str, int]:
    """Print the graph and its figures; return the figures."""
    graph = folder_graph(found)
    feature_folders = sorted(p.name for p in (root / PACKAGE).iterdir()
                             if (p / "__init__.py").exists())
    sccs = components(graph)
    pairs = mutual_pairs(graph)
    circles = mutual_pairs(module_graph(found))
    up = upward(found)
    figures = {
        "modules": len({i.source for i in found} | {i.target for i in found}),
        "imports": len(found),
        "lazy imports": sum(i.lazy for i in found),
        "folders": len(feature_folders),
        "folder edges": sum(len(t) for t in graph.values()),
        "cyclic components": len(sccs),
        "largest component": max((len(c) for c in sccs), default=0),
        "mutual folder pairs": len(pairs),
        "two-file circles": len(circles),
        "upward imports": len(up),
    }
    print("Folder graph (node -> what it imports):", file=out)
    for node in sorted(graph):
        rank = layer_of(node)
        print(f"  [{'?' if rank is None else rank:>2}] {node} -> "
              f"{', '.join(sorted(graph[node])) or '-'}", file=out)
    print("\nStrongly connected components:", file=out)
    for group in sccs:
        print(f"  ({len(group)}) {', '.join(group)}", file=out)
    print("\nFolder pairs that import each other:", file=out)
    for a, b in pairs:
        print(f"  {a} <-> {b}", file=out)
    print("\nTwo-file circles:", file=out)
    for a, b in circles:
        print(f"  {a} <-> {b}", file=out)
    print("\nImports against the layer order:", file=out)
    for i in up:
        print(f"  {i.source}:{i.line} -> {i.target}{' (lazy)' if i.lazy else ''}", file=out)
    print("\nExempt imports:", file=out)
    for (source, target), reason in EXEMPT.items():
        print(f"  {source} -> {target}: {reason}", file=out)
    missing = unlayered(graph)
    if missing:
        print(f"\nNodes without a layer: {', '.join(missing)}", file=out)
    if edges:
        print("\nModule imports:", file=out)
        for i in sorted(found, key=lambda i: (i.source, i.line)):
            print(f"  {i.source}:{i.line} -> {i.target}{' (lazy)' if i.lazy else ''}", file=out)
    print("\nFigures:", file=out)
    for name, value in figures.items():
        print(f"  {name}: {value}", file=out)
    return figures


if __name__ == "__main__":
    args = sys.argv[1:]
    where = Path(args[args.index("--root") + 1]).resolve() if "--root" in args else ROOT
    report(all_imports(where), edges="--edges" in args, root=where)
