"""Feature folders depend downwards only (tools/imports.py): no cycle of folders, no two
modules importing each other, no import against the declared layer order."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("layers_tool", ROOT / "tools" / "imports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


tool = _tool()


@pytest.fixture(scope="module")
def found():
    return tool.all_imports()


def _where(imports, pairs):
    """The import lines behind folder or module pairs, for the failure message."""
    wanted = {frozenset(p) for p in pairs}
    return "\n".join(f"{i.source}:{i.line} -> {i.target}" for i in imports
                     if frozenset((tool.folder(i.source), tool.folder(i.target))) in wanted
                     or frozenset((i.source, i.target)) in wanted)


def test_no_folder_imports_itself_through_others(found):
    graph = tool.folder_graph(found)
    cycles = tool.components(graph)
    pairs = [(a, b) for group in cycles for a in group for b in graph.get(a, ()) if b in group]
    assert cycles == [], f"folders in a cycle: {cycles}\n{_where(found, pairs)}"


def test_no_two_modules_import_each_other(found):
    circles = tool.mutual_pairs(tool.module_graph(found))
    assert circles == [], f"two-file circles: {circles}\n{_where(found, circles)}"


def test_every_folder_has_a_layer(found):
    missing = tool.unlayered(tool.folder_graph(found))
    assert missing == [], f"declare the layer of {missing} in tools/imports.py LAYERS"


def test_imports_follow_the_layer_order(found):
    upward = tool.upward(found)
    assert upward == [], "imports into a higher layer (tools/imports.py LAYERS):\n" + "\n".join(
        f"{i.source}:{i.line} -> {i.target}" for i in upward)


def test_exemptions_are_still_needed():
    """An exempt import that is gone must leave the list (the list is not a loophole)."""
    known = tool.modules()
    everything = {(i.source, i.target) for name, path in known.items()
                  for i in tool.imports_of(name, path, known)}
    assert set(tool.EXEMPT) <= everything


def test_the_tool_sees_lazy_imports_and_skips_type_checking_ones(tmp_path):
    package = tmp_path / "audit"
    for folder, body in {
        "visits": "def f():\n    from audit.reports.pdf import render\n",
        "reports": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                   "    from audit.portal.page import Page\n"
                   "from audit.visits.page import f\n",
        "portal": "from audit.reports import pdf\n",
    }.items():
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
        name = {"visits": "page", "reports": "pdf", "portal": "page"}[folder]
        (package / folder / f"{name}.py").write_text(body)
    (package / "__init__.py").write_text("")
    found = tool.all_imports(tmp_path)
    assert any(i.lazy for i in found)
    assert tool.components(tool.folder_graph(found)) == [["reports", "visits"]]
    assert tool.mutual_pairs(tool.module_graph(found)) == [
        ("audit.reports.pdf", "audit.visits.page")]
    assert "portal" not in tool.folder_graph(found)["reports"]
