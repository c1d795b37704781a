"""Data-protection rules that need no database: the retention cutoff, which visit facts and
questions can carry a staff member's name, which free-text answers may be blanked.

The mystery-shopping codes (MSPA, ESOMAR) ask that personal data be kept no longer than
needed and that named staff be evaluated only with their consent: both are decided here.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import datetime
from typing import Any

# Visit facts that describe the staff member who served the shopper.
STAFF_FACTS = ("staff_description",)
# Question kinds whose answer is free text a person wrote (unscored: DESIGN.md §4).
FREE_TEXT_KINDS = ("text",)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the
    month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: datetime, months: int | None) -> datetime | None:
    """Visits made before this moment are purged; None keeps everything (0 or unset)."""
    if not months or months <= 0:
        return None
    return months_before(now, months)


def is_staff_question(code: str, kind: str) -> bool:
    """A free-text question that asks about the staff member: by convention its code is
    STAFF or starts with STAFF (the bundled in-person checklist's STAFF question)."""
    return kind in FREE_TEXT_KINDS and code.upper().startswith("STAFF")


def blankable_text_codes(questions: Iterable[Any]) -> set[str]:
    """Free-text questions whose answers can be blanked without changing any score: no
    other question's condition reads them (a condition could hide a scored question)."""
    questions = list(questions)
    read_by_conditions = {(q.condition or {}).get("question") for q in questions}
    return {q.code for q in questions
            if q.kind in FREE_TEXT_KINDS and q.code not in read_by_conditions}


def without_staff_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    """The facts with the staff description removed."""
    return {k: v for k, v in (facts or {}).items() if k not in STAFF_FACTS}
