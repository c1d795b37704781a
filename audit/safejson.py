"""Reading JSON that strangers send (pure, no Flask): the app's JSON provider, the API's
argument parser and the checklist import all read through `loads`.

The standard parser would recurse until Python's limit (a RecursionError, a 500) on a
body of 100 000 brackets, spend quadratic time on, or refuse with a bare ValueError, an
integer of thousands of digits, and accept NaN and Infinity, which no database column
and no JSON reader elsewhere accept. Here each of these is a `json.JSONDecodeError`
(the error every caller already answers as a malformed body), with `reason` saying which.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64  # no body of the API or checklist file nests more than about 8 levels
MAX_INT_DIGITS = 30  # beyond any id, count or amount (a 64-bit integer has 19 digits)
MAX_NUMBER_CHARS = 64  # a float written out in full is under 30
# Strings skipped, then the brackets left: how deep the document nests, at C speed.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


class JSONRefused(json.JSONDecodeError):
    """Well-formed perhaps, but not a document we read; `reason` is one of "too_deep",
    "number_too_long", "not_a_number"; `limit` and `value` say more."""

    def __init__(
        self, reason: str, doc: str, pos: int = 0, *, limit: int = 0, value: str = ""
    ) -> None:
        super().__init__(reason.replace("_", " "), doc or " ", pos)
        self.reason, self.limit, self.value = reason, limit, value


def depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply a JSON text nests arrays and objects (strings ignored), counted up to
    `limit + 1`: each pass removes the innermost empty pairs, so a pass per level, each
    at C speed. An unbalanced text stops the count; the parser then says where."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    level = 0
    while brackets and level <= limit:
        shorter = _EMPTY_PAIR.sub("", brackets)
        if shorter == brackets:
            break
        brackets, level = shorter, level + 1
    return level


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """`json.loads` that refuses deep nesting, overlong numbers, NaN and Infinity."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8-sig")  # JSON is UTF-8 (RFC 8259); a BOM is tolerated
    if depth(text) > MAX_DEPTH:
        raise JSONRefused("too_deep", text, limit=MAX_DEPTH)

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise JSONRefused(
                "number_too_long", text, limit=MAX_INT_DIGITS, value=digits[:12] + "…"
            )
        return int(digits)

    def parse_float(literal: str) -> float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise JSONRefused(
                "number_too_long", text, limit=MAX_INT_DIGITS, value=literal[:12] + "…"
            )
        value = float(literal)
        if not math.isfinite(value):
            raise JSONRefused("not_a_number", text, value=literal)
        return value

    def parse_constant(name: str) -> float:
        raise JSONRefused("not_a_number", text, value=name)

    try:
        return json.loads(
            text,
            parse_int=parse_int,
            parse_float=parse_float,
            parse_constant=parse_constant,
            **kwargs,
        )
    except RecursionError:  # unreachable under MAX_DEPTH; kept as the last line of defence
        raise JSONRefused("too_deep", text, limit=MAX_DEPTH) from None
