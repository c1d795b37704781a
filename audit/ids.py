"""Record ids (and page numbers) as they arrive in URLs, query strings and forms: whole
numbers an id column can hold. A longer number names nothing, so it answers 404 (422 in
the API) instead of overflowing the database driver (a 500 on both databases).
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL `integer` columns; SQLite's 64-bit ids never get near it


def parse_id(value: object) -> int:
    """`value` as an id, ValueError otherwise (`request.args.get(name, type=parse_id)`)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise ValueError(f"not an id: {value!r}")
    return int(text)


def id_or_none(value: object) -> int | None:
    """`value` as an id, or None when it cannot be one (absent, text, too large)."""
    try:
        return parse_id(value) if value is not None else None
    except ValueError:
        return None


def digits_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 0..`limit` (leading zeros allowed), in
    ASCII digits: `\\d` would match Arabic-Indic or full-width digits too, and int() reads
    them, so /photos/١ would be a second address of /photos/1."""
    text = str(limit)
    alternatives = [rf"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for place, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - place - 1
            alternatives.append(rf"{text[:place]}[0-{int(digit) - 1}][0-9]{{{rest}}}")
    alternatives.append(text)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route, bounded by MAX_ID in its pattern: a longer number matches
    no rule at all (404), where a bound checked after matching would answer 405 on paths
    that other methods share."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
