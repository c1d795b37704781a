"""What a reviewer should look at before publishing a visit."""

from __future__ import annotations

from datetime import datetime

from audit.models.visits import Visit

FLAGS = ("critical_fail", "reused_photo", "outside_window", "missing_evidence", "too_fast")
FAST_MINUTES = 5


def review_flags(visit: Visit) -> list[str]:
    """Flags in a fixed order; each one is a reason to open the visit before approving it."""
    flags = []
    if visit.critical_fail:
        flags.append("critical_fail")
    photo_flags = {flag for photo in visit.photos for flag in photo.flags or ()}
    if photo_flags & {"reused", "similar"}:
        flags.append("reused_photo")
    if "outside_window" in photo_flags:
        flags.append("outside_window")
    if missing_evidence(visit):
        flags.append("missing_evidence")
    minutes = visit_minutes(visit)
    if minutes is not None and minutes < FAST_MINUTES:
        flags.append("too_fast")
    return flags


def missing_evidence(visit: Visit) -> list[str]:
    """Codes of answered questions that require a photo and have none."""
    hidden = visit.score_record.codes("hidden", "na")
    with_photo = {p.question_id for p in visit.photos}
    answered = {a.question_id for a in visit.answers if not a.na}
    return [q.code for q in visit.checklist_version.ordered_questions()
            if q.photo_required and q.id in answered and q.id not in with_photo
            and q.code not in hidden]


def visit_minutes(visit: Visit) -> float | None:
    """Length of an in-person visit from the facts (time in to time out), if both are given."""
    facts = visit.facts or {}
    start, end = facts.get("time_in"), facts.get("time_out")
    if not start or not end:
        return None
    try:
        t0 = datetime.strptime(start[:5], "%H:%M")
        t1 = datetime.strptime(end[:5], "%H:%M")
    except ValueError:
        return None
    return (t1 - t0).total_seconds() / 60
