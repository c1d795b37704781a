"""Reading a branch CSV file: pure (no Flask, no database), so every rule is tested exactly.

The file is checked whole before anything is saved: the result holds either clean rows or
a list of errors (row number as a spreadsheet shows it, column, error code and values for
the message). Messages are rendered in the user's language by the caller.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

COLUMNS = ("code", "name", "region", "franchisee", "address", "latitude", "longitude",
           "timezone", "active")
REQUIRED_COLUMNS = ("code", "name", "region")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
LENGTHS = {"code": 40, "name": 200, "region": 200, "franchisee": 200, "address": 500}
TRUE = {"1", "true", "yes", "y", "x", "có", "co", "active", "hoạt động"}
FALSE = {"0", "false", "no", "n", "không", "khong", "inactive", "ngừng"}
TEMPLATE_ROWS = (
    COLUMNS,
    ("HN01", "Sao Mai Hoàn Kiếm", "Hà Nội", "", "12 Tràng Tiền, Hoàn Kiếm, Hà Nội",
     "21.0245", "105.8530", DEFAULT_TIMEZONE, "yes"),
    ("HCM07", "Sao Mai Quận 3", "TP. Hồ Chí Minh", "Minh Phát", "45 Võ Văn Tần, Quận 3",
     "10.7769", "106.6917", DEFAULT_TIMEZONE, "yes"),
)


@dataclass(frozen=True)
class RowError:
    """One problem: `row` is the file's line (the header is row 1), `column` may be None."""

    row: int
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES  # noqa: PLW0603 - computed once, the list is large
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


def template_csv() -> str:
    """The template users download: the header and two example rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(TEMPLATE_ROWS)
    return "\ufeff" + out.getvalue()  # the BOM makes Excel open it as UTF-8


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(first_line: str) -> str:
    """Excel in locales with a decimal comma writes semicolons."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _number(value: str, low: float, high: float, column: str, row: int,
            errors: list[RowError]) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        errors.append(RowError(row, column, "not_a_number", {"value": value}))
        return None
    if not low <= number <= high:
        errors.append(RowError(row, column, "out_of_range",
                               {"value": value, "low": low, "high": high}))
        return None
    return number


def _row(raw: dict[str, str], row: int, errors: list[RowError]) -> dict[str, Any]:
    value = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for column in REQUIRED_COLUMNS:
        if not value[column]:
            errors.append(RowError(row, column, "required"))
    for column, limit in LENGTHS.items():
        if len(value[column]) > limit:
            errors.append(RowError(row, column, "too_long", {"max": limit}))
    active = value["active"].lower()
    if active and active not in TRUE | FALSE:
        errors.append(RowError(row, "active", "not_a_boolean", {"value": value["active"]}))
    timezone = value["timezone"] or DEFAULT_TIMEZONE
    if timezone not in _zones():
        errors.append(RowError(row, "timezone", "unknown_timezone", {"value": timezone}))
    return {
        "code": value["code"], "name": value["name"], "region": value["region"],
        "franchisee": value["franchisee"] or None, "address": value["address"],
        "latitude": _number(value["latitude"], -90, 90, "latitude", row, errors),
        "longitude": _number(value["longitude"], -180, 180, "longitude", row, errors),
        "timezone": timezone, "active": active not in FALSE, "row": row,
    }


def parse(data: bytes) -> Parsed:
    """Check a whole file; rows are usable only when `errors` is empty."""
    result = Parsed()
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(0, None, "too_large", {"max_mb": MAX_BYTES // 1024 // 1024}))
        return result
    text = _text(data)
    if text is None:
        result.errors.append(RowError(0, None, "not_utf8"))
        return result
    if not text.strip():
        result.errors.append(RowError(0, None, "empty"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        lines = list(reader)
    except csv.Error as error:
        result.errors.append(RowError(reader.line_num, None, "malformed", {"detail": str(error)}))
        return result
    header = [h.strip().lower() for h in lines[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if missing or unknown or doubled:
        for column in missing:
            result.errors.append(RowError(1, column, "missing_column"))
        for column in unknown:
            result.errors.append(RowError(1, column, "unknown_column",
                                          {"expected": ", ".join(COLUMNS)}))
        for column in doubled:
            result.errors.append(RowError(1, column, "repeated_column"))
        return result
    body = [(number, line) for number, line in enumerate(lines[1:], start=2)
            if any(cell.strip() for cell in line)]
    if not body:
        result.errors.append(RowError(0, None, "no_rows"))
        return result
    if len(body) > MAX_ROWS:
        result.errors.append(RowError(0, None, "too_many_rows", {"max": MAX_ROWS}))
        return result
    seen: dict[str, int] = {}
    for number, line in body:
        if len(line) > len(header):
            result.errors.append(RowError(number, None, "extra_cells",
                                          {"count": len(line), "expected": len(header)}))
            continue
        row = _row(dict(zip(header, line, strict=False)), number, result.errors)
        key = row["code"].casefold()
        if key and key in seen:
            result.errors.append(RowError(number, "code", "duplicate_code",
                                          {"value": row["code"], "first": seen[key]}))
        seen.setdefault(key, number)
        result.rows.append(row)
    if result.errors:
        result.rows = []
    return result
