"""What a reviewer should look at before publishing a visit."""

from __future__ import annotations

from datetime import datetime

from audit.models.visits import Visit

FLAGS = ("critical_fail", "reused_photo", "outside_window", "missing_evidence", "too_fast",
         "far_from_branch", "no_check_in", "not_resubmitted")
FAST_MINUTES = 5  # an in-person visit shorter than this (time in to time out)
FAST_SECONDS_PER_ANSWER = 3  # a checklist filled faster than this per answer


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
    filled = fill_seconds(visit)
    answered = sum(1 for a in visit.answers if a.first_answered_at is not None)
    if (minutes is not None and minutes < FAST_MINUTES) or (
            filled is not None and answered and filled < FAST_SECONDS_PER_ANSWER * answered):
        flags.append("too_fast")
    if asked_to_check_in(visit):
        status = visit.check_in.status if visit.check_in else None
        if status == "outside":
            flags.append("far_from_branch")
        elif status != "inside":
            flags.append("no_check_in")
    if visit.resubmit_expired_at is not None:
        flags.append("not_resubmitted")  # back from the shopper unchanged, past its deadline
    return flags


def asked_to_check_in(visit: Visit) -> bool:
    """The campaign asks for a check-in, and did when the visit was sent (a check-in turned
    on mid-campaign does not flag the visits sent before)."""
    campaign = visit.campaign
    if not campaign.check_in:
        return False
    since = campaign.check_in_since
    return since is None or visit.submitted_at is None or visit.submitted_at >= since


def fill_seconds(visit: Visit) -> float | None:
    """How long the shopper took to fill the checklist: from the first answer given to the
    last change (the phone's clock when every answer carries it: answers made offline
    arrive together; else the server's, up to the submission). None before any answer."""
    answers = [a for a in visit.answers if a.first_answered_at is not None]
    if not answers:
        return None
    if all(a.device_first_at and a.device_last_at for a in answers):
        start = min(a.device_first_at for a in answers)
        end = max(a.device_last_at for a in answers)
    else:
        start = min(a.first_answered_at for a in answers)
        end = visit.submitted_at or max(a.last_answered_at for a in answers)
    return max(0.0, (end - start).total_seconds())


def timeline(visit: Visit) -> list[tuple[datetime, str, object]]:
    """The visit's moments in order, for the reviewer: check-in, first and last answer,
    each photo taken and sent, the submission. (moment, kind, the record it is about)."""
    moments: list[tuple[datetime, str, object]] = []
    if visit.check_in is not None:
        moments.append((visit.check_in.device_at or visit.check_in.recorded_at, "check_in",
                        visit.check_in))
    answers = [a for a in visit.answers if a.first_answered_at is not None]
    if answers:
        first = min(answers, key=lambda a: a.device_first_at or a.first_answered_at)
        last = max(answers, key=lambda a: a.device_last_at or a.last_answered_at)
        moments.append((first.device_first_at or first.first_answered_at, "first_answer", first))
        moments.append((last.device_last_at or last.last_answered_at, "last_answer", last))
    for photo in visit.photos:
        if photo.captured_at is not None:
            moments.append((photo.captured_at, "photo_taken", photo))
        moments.append((photo.uploaded_at, "photo_sent", photo))
    if visit.submitted_at is not None:
        moments.append((visit.submitted_at, "submitted", visit))
    return sorted(moments, key=lambda m: m[0])


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
