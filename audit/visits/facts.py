"""The facts a shopper records beside the checklist, by channel (pure, no Flask)."""

from __future__ import annotations

import re
from typing import Any

# name -> input type; the form, the API and the reports read the same list.
CHANNEL_FACTS: dict[str, tuple[tuple[str, str], ...]] = {
    "in_person": (("visited_on", "date"), ("time_in", "time"), ("time_out", "time"),
                  ("staff_description", "text")),
    "phone": (("number_called", "tel"), ("called_on", "date"), ("called_at", "time"),
              ("rings", "number"), ("hold_seconds", "number")),
    "email": (("sent_at", "datetime-local"), ("answered_at", "datetime-local")),
    "chat": (("started_at", "datetime-local"), ("first_reply_at", "datetime-local")),
}
_PATTERNS = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"),
    "number": re.compile(r"^\d{1,6}([.,]\d+)?$"),
    "tel": re.compile(r"^[0-9 +().-]{3,30}$"),
}


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
        if (pattern and not pattern.match(value)) or len(value) > 2000:
            invalid.append(name)
        else:
            cleaned[name] = value
    return cleaned, invalid
