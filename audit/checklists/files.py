"""Reading and writing checklist files (JSON or YAML), pure: bytes in, a document out.

Reading refuses what a parser would accept silently but a person did not mean: duplicate
keys (the last one would win), YAML aliases (a small file can expand enormously), a root
that is not a mapping, nesting deeper than any checklist needs, numbers of more digits than
any checklist holds, NaN and infinities (parser bombs: a deep document exhausts the
parser's recursion, a long integer its int conversion). PyYAML's safe loader does the YAML
parsing, `audit.safejson` the JSON parsing.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from audit import safejson
from audit.checklists.rules import Problem

MAX_FILE_BYTES = 512 * 1024
FORMATS = ("yaml", "json")


class DocumentFileError(ValueError):
    """The file cannot be read as a checklist document; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.key)
        self.problem = problem


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases, duplicate keys, deep nesting, long or non-finite numbers."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "alias", event.start_mark)
        if self._depth >= safejson.MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, "too_deep", self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node):  # noqa: ANN001, ANN201
        digits = str(node.value).lstrip("+-").replace("_", "")
        if len(digits) > safejson.MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(None, None, "number_too_long",
                                                    node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):  # noqa: ANN001, ANN201
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(None, None, f"not_a_number:{node.value}",
                                                    node.start_mark)
        return value

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class words that error
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate:{key}", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)


def _fail(problem_key: str, **params: Any) -> DocumentFileError:
    return DocumentFileError(Problem("", problem_key, params))


_REFUSED = {"too_deep": safejson.MAX_DEPTH, "number_too_long": safejson.MAX_INT_DIGITS,
            "not_a_number": 0}


def _refused(reason: str, *, limit: int, value: str) -> DocumentFileError:
    """A parser bomb's problem: the limit it crossed, or the value that is no number."""
    params: dict[str, Any] = {"limit": limit} if reason != "not_a_number" else {"value": value}
    return _fail(f"file_{reason}", **params)


def format_of(filename: str) -> str | None:
    name = (filename or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _fail("duplicate_key", key=key)
        result[key] = value
    return result


def parse(data: bytes, filename: str) -> Any:
    """The document in an uploaded file; raises DocumentFileError with the reason."""
    fmt = format_of(filename)
    if fmt is None:
        raise _fail("file_type")
    if len(data) > MAX_FILE_BYTES:
        raise _fail("file_too_large", limit=MAX_FILE_BYTES // 1024)
    if not data.strip():
        raise _fail("file_empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail("file_encoding") from None
    if fmt == "json":
        try:
            doc = safejson.loads(text, object_pairs_hook=_no_duplicates)
        except safejson.JSONRefused as error:
            raise _refused(error.reason, limit=error.limit, value=error.value) from None
        except json.JSONDecodeError as error:
            raise _fail("json_syntax", line=error.lineno, column=error.colno) from None
    else:
        try:
            doc = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            problem = str(error.problem or "")
            if problem == "alias":
                raise _fail("yaml_alias", line=line) from None
            if problem.startswith("duplicate:"):
                raise _fail("duplicate_key", key=problem.split(":", 1)[1]) from None
            if problem.split(":", 1)[0] in _REFUSED:
                reason, _, value = problem.partition(":")
                raise _refused(reason, limit=_REFUSED[reason], value=value) from None
            raise _fail("yaml_syntax", line=line, column=column) from None
        except yaml.YAMLError:
            raise _fail("yaml_syntax", line=0, column=0) from None
    if not isinstance(doc, dict):
        raise _fail("not_mapping")
    return doc


def dump(doc: dict[str, Any], fmt: str) -> bytes:
    """The document as a file, readable by `parse` (and by the bundled-file importer)."""
    if fmt == "json":
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")
