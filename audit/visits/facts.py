"""The facts a shopper records beside the checklist, by channel (pure, no Flask)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# name -> input type; the form, the API and the reports read the same list.
CHANNEL_FACTS: dict[str, tuple[tuple[str, str], ...]] = {
    "in_person": (("visited_on", "date"), ("time_in", "time"), ("time_out", "time"),
                  ("staff_description", "text")),
    # Rings and hold time are the checklist's RINGS and HOLD questions (scored); asked here
    # too they were typed twice and could disagree after a reviewer's edit (defect 9).
    "phone": (("number_called", "tel"), ("called_on", "date"), ("called_at", "time")),
    "email": (("sent_at", "datetime-local"), ("answered_at", "datetime-local")),
    "chat": (("started_at", "datetime-local"), ("first_reply_at", "datetime-local")),
}
FACT_KINDS: dict[str, str] = {name: kind for facts in CHANNEL_FACTS.values()
                              for name, kind in facts}
_PATTERNS = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"),
    "number": re.compile(r"^\d{1,6}([.,]\d+)?$"),
    "tel": re.compile(r"^[0-9 +().-]{3,30}$"),
}


def _real(kind: str, value: str) -> bool:
    """A value of the right shape that is also a real date or time (2026-02-30 is not)."""
    try:
        if kind == "date":
            date.fromisoformat(value)
        elif kind == "datetime-local":
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def clean_facts(channel: str, given: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Keep the channel's known facts; return them with the names of invalid ones."""
    cleaned, invalid = {}, []
    for name, kind in CHANNEL_FACTS.get(channel, ()):
        if name not in given:
            continue
        value = "" if given[name] is None else str(given[name]).strip()
        if not value:
            cleaned[name] = ""
            continue
        pattern = _PATTERNS.get(kind)
        if (pattern and not pattern.match(value)) or len(value) > 2000 or not _real(kind, value):
            invalid.append(name)
        else:
            cleaned[name] = value
    return cleaned, invalid


# Which facts say when the visit happened, per channel: (day, start, end) typed as a date and
# times, or (start, end) typed as date-times. All in the branch's local clock.
_DAY_AND_TIMES = {"in_person": ("visited_on", "time_in", "time_out"),
                  "phone": ("called_on", "called_at", None)}
_DATE_TIMES = {"email": ("sent_at", "answered_at"), "chat": ("started_at", "first_reply_at")}
_NOON = time(12, 0)  # a day typed without a time: noon keeps it the same day in any zone


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def _parse(kind: str, value: Any) -> Any:
    try:
        if kind == "date":
            return date.fromisoformat(str(value))
        if kind == "time":
            return time.fromisoformat(str(value))
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def visit_moments(channel: str, facts: dict[str, Any], zone: str
                  ) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(visited_at, time_in, time_out) in UTC from the facts the shopper typed in the
    branch's local clock. The visit's date columns are what exports, the library, the PDFs
    and the owner's list read; they were filled only by the demo loader (defect 4)."""
    tz = ZoneInfo(zone or "Asia/Ho_Chi_Minh")
    if channel in _DAY_AND_TIMES:
        day_name, start_name, end_name = _DAY_AND_TIMES[channel]
        day = _parse("date", facts.get(day_name))
        if day is None:
            return None, None, None
        start = _parse("time", facts.get(start_name))
        end = _parse("time", facts.get(end_name)) if end_name else None
        time_in = _utc(datetime.combine(day, start), tz) if start else None
        time_out = _utc(datetime.combine(day, end), tz) if end else None
        if time_in and time_out and time_out < time_in:
            time_out += timedelta(days=1)  # left after midnight
        return time_in or _utc(datetime.combine(day, _NOON), tz), time_in, time_out
    if channel in _DATE_TIMES:
        start_name, end_name = _DATE_TIMES[channel]
        start = _parse("datetime-local", facts.get(start_name))
        end = _parse("datetime-local", facts.get(end_name))
        time_in = _utc(start, tz) if start else None
        return time_in, time_in, _utc(end, tz) if end else None
    return None, None, None


def typed_fact(name: str, value: Any) -> tuple[str, Any]:
    """(kind, value) of a recorded fact for display: a date for a date, a (local, naive)
    date-time for a date-time, else the text; a value that does not parse is shown as the
    text it is (kind "text"), so a page never fails on an odd stored string."""
    kind = FACT_KINDS.get(name, "text")
    if kind in ("date", "datetime-local"):
        parsed = value if isinstance(value, date) else _parse(kind, value)
        return (kind, parsed) if parsed is not None else ("text", value)
    return kind, value
