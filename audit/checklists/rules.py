"""The rules a checklist document must follow (pure: no Flask, no database).

One document format for the bundled YAML files, imports, exports and the editor: the
editor checks a question as the document item it would export to, so an edit, an import
and a publish are judged by the same rules. Problems carry a path such as
`sections[2].questions[3].kind`, a message key and its placeholders; `messages.py`
words them in the user's language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.vocabulary import (
    CHANNELS,
    CONDITION_KINDS,
    CRITICAL_POLICIES,
    DIMENSIONS,
    FACTORS,
    KINDS,
    KPIS,
    SCORED_KINDS,
    STEPS,
)

LANGS = ("vi", "en")
FLAGS = {"critical": False, "allow_na": False, "required": True, "photo_required": False,
         "no_passes": False}
NUMBERS = ("min_value", "max_value", "pass_min", "pass_max")
DOCUMENT_KEYS = {"code", "title", "description", "channel", "critical_policy", "sections"}
SECTION_KEYS = {"code", "title", "questions"}
QUESTION_KEYS = {"code", "kind", "text", "help", "points", "dimension", "step", "factor",
                 "kpi", "condition", "options", *FLAGS, *NUMBERS}
OPTION_KEYS = {"value", "label", "fraction"}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CHECKLIST_CODE_MAX, CODE_MAX = 80, 40
TITLE_MAX, TEXT_MAX = 300, 2000
MAX_SCALE_SPAN, MAX_OPTIONS = 20, 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, as a warning, worth fixing) at a place in the document."""

    path: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


def is_number(value: Any) -> bool:
    """A finite int or float (YAML/JSON booleans are not numbers)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


class _Checker:
    """Collects problems while walking a document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, key: str, warning: bool = False, **params: Any) -> None:
        self.problems.append(Problem(path, key, params, warning))

    def unknown(self, doc: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in sorted(set(doc) - allowed, key=str):
            self.add(_join(path, str(key)), "unknown_key", allowed=", ".join(sorted(allowed)))

    def code(self, value: Any, path: str, limit: int = CODE_MAX) -> bool:
        if value is None or value == "":
            self.add(path, "code_missing")
        elif not isinstance(value, str):
            self.add(path, "not_text")
        elif not value.strip():
            self.add(path, "code_missing")
        elif len(value) > limit:
            self.add(path, "too_long", limit=limit)
        elif not CODE.match(value):
            self.add(path, "code_format")
        else:
            return True
        return False

    def translated(self, value: Any, path: str, *, required: bool, limit: int) -> None:
        """A {"vi": ..., "en": ...} text: one language at least when required, both better."""
        if value is None and not required:
            return
        if not isinstance(value, Mapping):
            self.add(path, "not_translated")
            return
        for lang in sorted(set(value) - set(LANGS), key=str):
            self.add(_join(path, str(lang)), "unknown_language")
        filled = []
        for lang in LANGS:
            text = value.get(lang)
            if text is None:
                continue
            if not isinstance(text, str):
                self.add(_join(path, lang), "not_text")
            elif len(text) > limit:
                self.add(_join(path, lang), "too_long", limit=limit)
            elif text.strip():
                filled.append(lang)
        if not filled and required:
            self.add(path, "text_missing")
        elif len(filled) == 1:
            missing = "en" if filled == ["vi"] else "vi"
            self.add(path, "language_missing", warning=True, lang=missing)

    def choice(self, value: Any, allowed: tuple, path: str, nullable: bool = True) -> None:
        if value is None and nullable:
            return
        if value not in allowed or isinstance(value, bool):
            self.add(path, "not_one_of", allowed=", ".join(str(a) for a in allowed))


def question_problems(q: Any, path: str, earlier: Mapping[str, Mapping[str, Any]]
                      ) -> list[Problem]:
    """Problems of one question item; `earlier` maps the codes before it to their items."""
    check = _Checker()
    _question(check, q, path, earlier)
    return check.problems


def _question(check: _Checker, q: Any, path: str, earlier: Mapping[str, Mapping]) -> None:
    if not isinstance(q, Mapping):
        check.add(path, "not_mapping")
        return
    check.unknown(q, QUESTION_KEYS, path)
    check.code(q.get("code"), _join(path, "code"))
    kind = q.get("kind")
    if kind not in KINDS:
        check.add(_join(path, "kind"), "not_one_of", allowed=", ".join(KINDS))
    check.translated(q.get("text"), _join(path, "text"), required=True, limit=TEXT_MAX)
    check.translated(q.get("help"), _join(path, "help"), required=False, limit=TEXT_MAX)
    points = q.get("points", 1)
    if not is_number(points):
        check.add(_join(path, "points"), "not_number")
    elif points < 0:
        check.add(_join(path, "points"), "negative")
    check.choice(q.get("dimension"), DIMENSIONS, _join(path, "dimension"))
    check.choice(q.get("step"), STEPS, _join(path, "step"))
    check.choice(q.get("factor"), FACTORS, _join(path, "factor"))
    check.choice(q.get("kpi"), KPIS, _join(path, "kpi"))
    for name in FLAGS:
        if name in q and not isinstance(q[name], bool):
            check.add(_join(path, name), "not_bool")
    for name in NUMBERS:
        if q.get(name) is not None and not is_number(q[name]):
            check.add(_join(path, name), "not_number")
    if kind in KINDS:
        _kind_rules(check, q, kind, path)
    if q.get("condition") is not None:
        _condition(check, q["condition"], _join(path, "condition"), earlier)


def _kind_rules(check: _Checker, q: Mapping[str, Any], kind: str, path: str) -> None:
    """Attributes that belong to one kind only, and each kind's own rules."""
    def only_for(name: str, kinds: tuple[str, ...], present: bool) -> None:
        if present and kind not in kinds:
            check.add(_join(path, name), "only_for_kinds", kinds=", ".join(kinds))

    for name in ("min_value", "max_value"):
        only_for(name, ("scale", "number"), q.get(name) is not None)
    for name in ("pass_min", "pass_max"):
        only_for(name, ("number",), q.get(name) is not None)
    only_for("no_passes", ("yes_no",), q.get("no_passes") is True)
    only_for("options", ("choice",), bool(q.get("options")))
    only_for("critical", SCORED_KINDS, q.get("critical") is True)
    low, high = q.get("min_value"), q.get("max_value")
    numbers_ok = all(q.get(n) is None or is_number(q[n]) for n in NUMBERS)
    if kind == "scale" and numbers_ok:
        low = 1 if low is None else low
        if high is None:
            check.add(_join(path, "max_value"), "scale_max_missing")
        elif not (float(low).is_integer() and float(high).is_integer()):
            check.add(_join(path, "max_value"), "scale_whole")
        elif high <= low:
            check.add(_join(path, "max_value"), "scale_order", low=_fmt(low))
        elif high - low > MAX_SCALE_SPAN:
            check.add(_join(path, "max_value"), "scale_span", limit=MAX_SCALE_SPAN)
    if kind == "number" and numbers_ok:
        if low is not None and high is not None and high < low:
            check.add(_join(path, "max_value"), "bounds_order")
        band_low, band_high = q.get("pass_min"), q.get("pass_max")
        if band_low is not None and band_high is not None and band_high < band_low:
            check.add(_join(path, "pass_max"), "band_order")
    if kind == "choice":
        _options(check, q.get("options"), _join(path, "options"))


def _options(check: _Checker, options: Any, path: str) -> None:
    if not isinstance(options, list):
        check.add(path, "options_missing")
        return
    if len(options) < 2:
        check.add(path, "options_too_few")
    if len(options) > MAX_OPTIONS:
        check.add(path, "options_too_many", limit=MAX_OPTIONS)
    seen: set[str] = set()
    best = None
    for index, option in enumerate(options):
        where = _join(path, index)
        if not isinstance(option, Mapping):
            check.add(where, "not_mapping")
            continue
        check.unknown(option, OPTION_KEYS, where)
        value = option.get("value")
        if check.code(value, _join(where, "value")):
            if value in seen:
                check.add(_join(where, "value"), "duplicate", code=value)
            seen.add(value)
        check.translated(option.get("label"), _join(where, "label"), required=True,
                         limit=TITLE_MAX)
        fraction = option.get("fraction")
        if not is_number(fraction) or not 0 <= fraction <= 1:
            check.add(_join(where, "fraction"), "fraction_range")
        else:
            best = fraction if best is None else max(best, fraction)
    if best is not None and best < 1 and len(options) >= 2:
        check.add(path, "no_full_option", warning=True)


def condition_values(target: Mapping[str, Any]) -> list[Any] | None:
    """The values a condition on `target` may name (None: conditions cannot use it)."""
    kind = target.get("kind")
    if kind == "yes_no":
        return [True, False]
    if kind == "choice":
        return [o.get("value") for o in target.get("options") or () if isinstance(o, Mapping)]
    if kind == "scale":
        low, high = target.get("min_value"), target.get("max_value")
        low = 1 if low is None else low
        if is_number(low) and is_number(high) and 0 < high - low <= MAX_SCALE_SPAN:
            return list(range(int(low), int(high) + 1))
        return []
    return None


def _condition(check: _Checker, cond: Any, path: str, earlier: Mapping[str, Mapping]) -> None:
    if not isinstance(cond, Mapping):
        check.add(path, "not_mapping")
        return
    check.unknown(cond, {"question", "values"}, path)
    code, values = cond.get("question"), cond.get("values")
    target = earlier.get(code) if isinstance(code, str) else None
    if target is None:
        check.add(_join(path, "question"), "condition_not_earlier", code=str(code))
        return
    if target.get("kind") not in CONDITION_KINDS:
        check.add(_join(path, "question"), "condition_kind", code=code)
        return
    if not isinstance(values, list) or not values:
        check.add(_join(path, "values"), "condition_values_missing")
        return
    allowed = condition_values(target)
    for index, value in enumerate(values):
        if target["kind"] == "number":
            ok = is_number(value)
        else:
            ok = allowed is not None and value in allowed and (
                isinstance(value, bool) == (target["kind"] == "yes_no"))
        if not ok:
            check.add(f"{path}.values[{index}]", "condition_value",
                      code=code, value=str(value), allowed=_allowed_words(target, allowed))


def _allowed_words(target: Mapping[str, Any], allowed: list[Any] | None) -> str:
    if target.get("kind") == "yes_no":
        return "yes, no"
    if target.get("kind") == "number":
        return "…"
    return ", ".join(str(v) for v in allowed or ())


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def validate_document(doc: Any, *, publishing: bool = False) -> list[Problem]:
    """Every problem of a whole checklist document (warnings have `warning=True`).

    `publishing` adds what a shopper needs: at least one question, no empty section."""
    check = _Checker()
    if not isinstance(doc, Mapping):
        check.add("", "not_mapping")
        return check.problems
    check.unknown(doc, DOCUMENT_KEYS, "")
    check.code(doc.get("code"), "code", CHECKLIST_CODE_MAX)
    check.translated(doc.get("title"), "title", required=True, limit=TITLE_MAX)
    check.translated(doc.get("description"), "description", required=False, limit=TEXT_MAX)
    check.choice(doc.get("channel"), CHANNELS, "channel", nullable=False)
    check.choice(doc.get("critical_policy"), CRITICAL_POLICIES, "critical_policy")
    sections = doc.get("sections")
    if not isinstance(sections, list):
        check.add("sections", "not_list")
        return check.problems
    section_codes: set[str] = set()
    earlier: dict[str, Mapping[str, Any]] = {}
    count = 0
    for s_index, section in enumerate(sections):
        path = _join("sections", s_index)
        if not isinstance(section, Mapping):
            check.add(path, "not_mapping")
            continue
        check.unknown(section, SECTION_KEYS, path)
        code = section.get("code")
        if check.code(code, _join(path, "code")):
            if code in section_codes:
                check.add(_join(path, "code"), "duplicate", code=code)
            section_codes.add(code)
        check.translated(section.get("title"), _join(path, "title"), required=True,
                         limit=TITLE_MAX)
        questions = section.get("questions")
        if not isinstance(questions, list):
            check.add(_join(path, "questions"), "not_list")
            continue
        if publishing and not questions:
            check.add(_join(path, "questions"), "section_empty")
        for q_index, question in enumerate(questions):
            q_path = _join(_join(path, "questions"), q_index)
            _question(check, question, q_path, earlier)
            count += 1
            if isinstance(question, Mapping) and isinstance(question.get("code"), str):
                if question["code"] in earlier:
                    check.add(_join(q_path, "code"), "duplicate", code=question["code"])
                else:
                    earlier[question["code"]] = question
    if publishing and count == 0:
        check.add("sections", "no_questions")
    return check.problems


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]
