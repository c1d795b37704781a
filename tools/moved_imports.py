"""Rewrite imports of the modules and names that moved into layers (issue 14), for code
written against the old places (another branch being merged, a patch kept aside).

Usage: python tools/moved_imports.py FILE... ; then `ruff check --fix --select I FILE...`
to sort the import blocks again. Rewrites `from OLD import a, b` lines (also inside
functions), module paths in strings ("audit.visits.models.Visit" for monkeypatch) and the
calls of the renamed CHECK helper (`_in(` is `in_values(`). Prints the files it changed.
A one-off: remove it once no branch has code on the old paths.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

MODULES = {
    "audit.auth.passwords": "audit.core.passwords",
    "audit.evidence.s3": "audit.storage.s3",
    "audit.review.service": "audit.visits.service",
    "audit.privacy.staff": "audit.visits.staff",
    "audit.reports.expiry": "audit.evidence.expiry",
    "audit.auth.cli": "audit.people.cli",
    "audit.web.brand_choice": "audit.orgs.brand_choice",
    **{f"audit.{feature}.models": f"audit.models.{feature}"
       for feature in ("actions", "auditlog", "auth", "campaigns", "checklists", "disputes",
                       "orgs", "reports", "targets", "visits")},
}
NAMES = {
    "audit.auth.models:utcnow": ("audit.core.clock", "utcnow"),
    "audit.checklists.models:_in": ("audit.core.queries", "in_values"),
    "audit.visits.facts:local_day": ("audit.core.clock", "local_day"),
    "audit.visits.facts:local_clock": ("audit.core.clock", "local_clock"),
    "audit.web.filters:tr": ("audit.i18n", "tr"),
    "audit:ROOT": ("audit.config", "ROOT"),
    **{f"audit.evidence.storage:{name}": ("audit.storage", name)
       for name in ("storage_for", "use_storage", "build_storage", "BACKENDS", "EXTENSION")},
    **{f"audit.evidence.storage:{name}": ("audit.storage.base", name)
       for name in ("Storage", "StoredFile", "PARTIAL_SUFFIX", "check_key", "check_prefix",
                    "discard")},
    "audit.evidence.storage:LocalStorage": ("audit.storage.local", "LocalStorage"),
    # Modules imported by name from their package.
    "audit.auth:passwords": ("audit.core", "passwords"),
    "audit.evidence:s3": ("audit.storage", "s3"),
    "audit.privacy:staff": ("audit.visits", "staff"),
    "audit.review:service": ("audit.visits", "service"),
    "audit.reports:expiry": ("audit.evidence", "expiry"),
    "audit.auth:cli": ("audit.people", "cli"),
    "audit.web:brand_choice": ("audit.orgs", "brand_choice"),
}


def _module(name: str) -> str:
    for old, new in sorted(MODULES.items(), key=lambda item: -len(item[0])):
        if name == old or name.startswith(old + "."):
            return new + name[len(old):]
    return name


def _target(module: str, name: str) -> tuple[str, str]:
    return NAMES.get(f"{module}:{name}") or (_module(module), name)


def _render(indent: str, module: str, names: list[str], comment: str) -> list[str]:
    line = f"{indent}from {module} import {', '.join(names)}" + (f"  {comment}" if comment else "")
    if len(line) <= 100:
        return [line]
    head = f"{indent}from {module} import (" + (f"  {comment}" if comment else "")
    return [head, *(f"{indent}    {name}," for name in names), f"{indent})"]


def rewrite(text: str) -> str:
    """The text with its imports pointing at the new places."""
    tree = ast.parse(text)
    lines = text.split("\n")
    edits = []
    renamed_in = False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
            continue
        groups: dict[str, list[str]] = {}
        for alias in node.names:
            module, name = _target(node.module, alias.name)
            groups.setdefault(module, []).append(
                name if alias.asname is None else f"{name} as {alias.asname}")
        if list(groups) == [node.module] and all(
                _target(node.module, a.name)[1] == a.name for a in node.names):
            continue
        renamed_in |= any((node.module, a.name, a.asname) == ("audit.checklists.models", "_in",
                                                              None) for a in node.names)
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = re.match(r"\s*", lines[first]).group(0)
        tail = lines[last][node.end_col_offset:].strip()
        comment = tail if tail.startswith("#") else ""
        new = [line for module, names in groups.items()
               for line in _render(indent, module, names, comment)]
        edits.append((first, last, new))
    for first, last, new in sorted(edits, reverse=True):
        lines[first:last + 1] = new
    result = "\n".join(lines)
    if renamed_in:
        result = re.sub(r"(?<![\w.])_in\(", "in_values(", result)
    for old, new in MODULES.items():
        result = re.sub(rf"([\"']){re.escape(old)}([.\"'])", rf"\g<1>{new}\2", result)
    return result


if __name__ == "__main__":
    for path in map(Path, sys.argv[1:]):
        if path.resolve() == Path(__file__).resolve():
            continue  # its own table names the old places
        text = path.read_text(encoding="utf-8")
        try:
            changed = rewrite(text)
        except SyntaxError as error:  # conflict markers left: resolve them first
            print(f"{path}: not rewritten, {error.msg} at line {error.lineno}", file=sys.stderr)
            continue
        if changed != text:
            path.write_text(changed, encoding="utf-8")
            print(path)
