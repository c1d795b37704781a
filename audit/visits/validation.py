"""Checking and normalising one answer against its question (pure, no Flask)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from audit.scoring import QuestionSpec

TEXT_LIMIT = 5000
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TRUE = {"yes", "true", "1", "on"}
_FALSE = {"no", "false", "0", "off"}


@dataclass(frozen=True)
class Invalid:
    """Why an answer was refused: a message key and its placeholders."""

    key: str
    params: dict[str, Any]


def normalize(spec: QuestionSpec, value: Any, na: bool) -> Any:
    """Return the value to store, or an `Invalid` saying why it cannot be stored."""
    if na:
        return None if spec.allow_na else Invalid("na_not_allowed", {})
    if value is None:
        return None
    checker = _CHECKERS.get(spec.kind)
    return checker(spec, value) if checker else None


def _yes_no(spec: QuestionSpec, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return Invalid("not_yes_no", {})


def _number_value(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _in_bounds(spec: QuestionSpec, number: float, low: float | None) -> Any:
    high = spec.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        return Invalid("out_of_range", {"low": _fmt(low), "high": _fmt(high)})
    return number


def _scale(spec: QuestionSpec, value: Any) -> Any:
    number = _number_value(value)
    if number is None or not number.is_integer():
        return Invalid("not_whole_number", {})
    low = spec.min_value if spec.min_value is not None else 1
    checked = _in_bounds(spec, number, low)
    return int(checked) if isinstance(checked, float) else checked


def _number(spec: QuestionSpec, value: Any) -> Any:
    number = _number_value(value)
    if number is None:
        return Invalid("not_number", {})
    checked = _in_bounds(spec, number, spec.min_value)
    if isinstance(checked, float) and checked.is_integer():
        return int(checked)
    return checked


def _choice(spec: QuestionSpec, value: Any) -> Any:
    if isinstance(value, str) and value in spec.options:
        return value
    return Invalid("unknown_option", {"options": ", ".join(spec.options)})


def _text(spec: QuestionSpec, value: Any) -> Any:
    if not isinstance(value, str):
        return Invalid("not_text", {})
    if len(value) > TEXT_LIMIT:
        return Invalid("too_long", {"limit": TEXT_LIMIT})
    return value.strip() or None


def _time(spec: QuestionSpec, value: Any) -> Any:
    if isinstance(value, str) and _TIME.match(value.strip()):
        return value.strip()
    return Invalid("not_time", {})


def _date(spec: QuestionSpec, value: Any) -> Any:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except (AttributeError, ValueError):
        return Invalid("not_date", {})


def _fmt(number: float | None) -> str:
    if number is None:
        return "…"
    return str(int(number)) if float(number).is_integer() else str(number)


_CHECKERS = {
    "yes_no": _yes_no,
    "scale": _scale,
    "number": _number,
    "choice": _choice,
    "text": _text,
    "time": _time,
    "date": _date,
}
