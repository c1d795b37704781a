"""Staff names per brand: when a brand does not capture them (the default: evaluating named
staff needs their consent), the shopper is not asked, what is sent anyway is not stored
(the rest of the save goes through, with a message saying what was left out), and names
stored earlier are shown to nobody."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from audit.labels import FACT
from audit.models.checklists import ChecklistVersion
from audit.models.visits import Visit
from audit.privacy.rules import STAFF_FACTS, is_staff_question, without_staff_facts
from audit.visits.facts import CHANNEL_FACTS, typed_fact


def captures_staff(visit: Visit) -> bool:
    """Whether the visit's brand records who served the shopper."""
    return bool(visit.branch.brand.capture_staff_names)


def staff_codes(version: ChecklistVersion) -> set[str]:
    """The version's questions that ask about the staff member."""
    return {q.code for q in version.ordered_questions() if is_staff_question(q.code, q.kind)}


def hidden_staff_codes(visit: Visit) -> set[str]:
    """Questions not asked nor shown for this visit (empty when the brand captures staff)."""
    return set() if captures_staff(visit) else staff_codes(visit.checklist_version)


def shown_facts(visit: Visit, facts: Any) -> Any:
    """The channel's fact list (name, kind) or a facts dict without staff facts when the
    brand does not capture them."""
    if captures_staff(visit):
        return facts
    if isinstance(facts, dict):
        return without_staff_facts(facts)
    return tuple((name, kind) for name, kind in facts if name not in STAFF_FACTS)


def visit_facts(visit: Visit) -> list[tuple[str, str, Any]]:
    """The facts as the shopper recorded them, (name, kind, value) with dates as dates, for
    every reader of a visit (the owner's visit page, the visit PDF): the channel's facts
    first, the visit's columns where one is missing; only known facts (a free key could
    carry a name) and no staff description when the brand does not record staff names.
    Never the shopper: the readers who may see them add them."""
    recorded = dict(visit.facts or {})
    own = [name for name, _kind in CHANNEL_FACTS.get(visit.channel, ())]
    fallback = {"visited_on": visit.visited_on, "time_in": visit.local_time("time_in"),
                "time_out": visit.local_time("time_out"),
                "staff_description": visit.staff_description}
    for name in own:
        if recorded.get(name) in (None, "") and fallback.get(name):
            recorded[name] = fallback[name]
    recorded = shown_facts(visit, recorded)
    names = own + [name for name in FACT if name not in own]
    facts = [(name, *typed_fact(name, recorded[name])) for name in names
             if recorded.get(name) not in (None, "")]
    if visit.visited_on and not any(kind in ("date", "datetime-local")
                                    for _name, kind, _value in facts):
        facts.insert(0, ("visited_on", "date", visit.visited_on))  # a date, whatever the channel
    return facts


def refusal_message() -> Any:
    """Lazy: saves run outside requests too (commands, tests); views turn it into text."""
    return _l("Not saved: this brand does not record staff names or descriptions.")


def withhold(visit: Visit, items: list[Any], facts: dict[str, Any] | None
             ) -> tuple[list[Any], dict[str, Any] | None, dict[str, str]]:
    """The answer items and facts without staff details when the brand does not capture
    them, and a (lazy) message for each one left out, keyed like validation errors."""
    if captures_staff(visit):
        return items, facts, {}
    codes = staff_codes(visit.checklist_version)
    kept, ignored = [], {}
    for item in items:
        code = item.get("question") if isinstance(item, dict) else None
        if code in codes:
            if item.get("value") not in (None, "") or item.get("comment"):
                ignored[code] = refusal_message()
            continue
        kept.append(item)
    if facts:
        for name in STAFF_FACTS:
            if str(facts.get(name) or "").strip():
                ignored[f"fact:{name}"] = refusal_message()
        facts = without_staff_facts(facts)
    return kept, facts, ignored
