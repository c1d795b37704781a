"""Changing visits: saving a shopper's answers and submitting, with the rules that guard them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auth import User
from audit.models.visits import Answer, Visit
from audit.triggers import fire
from audit.visits import events, lifecycle, scores, staff
from audit.visits.facts import clean_facts, visit_moments
from audit.visits.validation import Invalid, normalize
from audit.vocabulary import SENT

DEVICE_CLOCK_SLACK = timedelta(minutes=10)  # a phone's clock may run a little fast


class AnswerErrors(Exception):
    """Some submitted answers are invalid; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


class VisitConflict(Exception):
    """Another request changed the visit at the same moment; this one saved nothing."""


class MissingAnswers(Exception):
    """Required questions are still unanswered; the visit was not submitted."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


def invalid_message(invalid: Invalid) -> str:
    """The user-language message for a refused answer."""
    messages = {
        "unknown_question": _("This question is not in the visit's checklist."),
        "na_not_allowed": _("This question cannot be answered N/A."),
        "not_yes_no": _("Answer yes or no."),
        "not_whole_number": _("Give a whole number."),
        "not_number": _("Give a number."),
        "out_of_range": _("Give a value from %(low)s to %(high)s."),
        "unknown_option": _("Choose one of: %(options)s."),
        "not_text": _("Give a text."),
        "too_long": _("At most %(limit)s characters."),
        "not_time": _("Give a time as HH:MM."),
        "not_date": _("Give a date as YYYY-MM-DD."),
        "bad_item": _("Each answer needs a question code and a value or N/A."),
        "bad_fact": _("This value does not have the expected format."),
    }
    return messages[invalid.key] % invalid.params if invalid.params else messages[invalid.key]


def save_answers(visit: Visit, items: list[dict[str, Any]], actor: User,
                 facts: dict[str, Any] | None = None) -> Visit:
    """Merge answers (and the channel's visit facts) into the visit; all or nothing.

    Saving the same answers again changes nothing (autosave and retries are safe).
    A value of null without N/A clears the answer. Staff details a brand does not record
    are left out (audit/visits/staff.py).
    """
    merge_answers(visit, items, actor, facts)
    commit_or_conflict()
    return visit


def save_and_submit(visit: Visit, items: list[dict[str, Any]], actor: User,
                    facts: dict[str, Any] | None = None) -> Visit:
    """Save the form's answers and submit in one transaction, so no other request's answers
    can slip in between and be submitted under this one's name. With required answers
    missing, the valid ones are still saved."""
    merge_answers(visit, items, actor, facts)
    try:
        return _submit(visit, actor, own_changes=True)
    except MissingAnswers:
        commit_or_conflict()
        raise
    except VisitConflict:
        # Lost a race: only a repeat (the answers that now stand are this form's) is fine.
        if visit.status in SENT and not answers_differ(visit, items, actor, facts):
            return visit
        raise


def answers_differ(visit: Visit, items: list[dict[str, Any]], actor: User,
                   facts: dict[str, Any] | None = None) -> bool:
    """True when saving these answers would change the visit (tried, then rolled back):
    a form sent again to a visit already submitted is a repeat only if it is the same."""
    try:
        changed = merge_answers(visit, items, actor, facts)
    except AnswerErrors:
        changed = True
    db.session.rollback()
    return changed


def merge_answers(visit: Visit, items: list[dict[str, Any]], actor: User,
                  facts: dict[str, Any] | None = None) -> bool:
    """Apply the answers to the visit without committing; True when anything changed.
    Staff details the brand does not record are left out (audit/visits/staff.py)."""
    items, facts, _withheld = staff.withhold(visit, items, facts)
    questions = {q.code: q for q in visit.checklist_version.ordered_questions()}
    specs = {code: scores.question_spec(q) for code, q in questions.items()}
    errors: dict[str, str] = {}
    accepted: list[tuple[Any, Any, bool, str | None]] = []
    for index, item in enumerate(items):
        code = item.get("question") if isinstance(item, dict) else None
        if not isinstance(code, str):
            errors[f"#{index}"] = invalid_message(Invalid("bad_item", {}))
            continue
        if code not in questions:
            errors[code] = invalid_message(Invalid("unknown_question", {}))
            continue
        na = item.get("na") is True
        value = normalize(specs[code], item.get("value"), na)
        if isinstance(value, Invalid):
            errors[code] = invalid_message(value)
            continue
        comment = item.get("comment")
        accepted.append((questions[code], value, na, comment if isinstance(comment, str) else None,
                         device_times(item)))
    cleaned_facts: dict[str, str] = {}
    if facts:
        cleaned_facts, bad = clean_facts(visit.channel, facts)
        for name in bad:
            errors[f"fact:{name}"] = invalid_message(Invalid("bad_fact", {}))
    if errors:
        raise AnswerErrors(errors)
    changed = False
    if cleaned_facts and {**visit.facts, **cleaned_facts} != visit.facts:
        visit.facts = {**visit.facts, **cleaned_facts}
        store_moments(visit)
        changed = True

    existing = {a.question_id: a for a in visit.answers}
    now = utcnow()
    for question, value, na, comment, (device_first, device_last) in accepted:
        answer = existing.get(question.id)
        if value is None and not na and not comment:
            if answer is not None:
                visit.answers.remove(answer)
                changed = True
            continue
        if answer is None:
            answer = Answer(question=question)
            visit.answers.append(answer)
            existing[question.id] = answer
            changed = True
        if answer.value != value or answer.na != na:
            answer.value, answer.na = value, na
            answer.first_answered_at = answer.first_answered_at or now
            answer.last_answered_at = now
            answer.device_first_at = answer.device_first_at or device_first or device_last
            answer.device_last_at = device_last or answer.device_last_at
            changed = True
        if comment is not None and answer.comment != comment[:2000]:
            answer.comment = comment[:2000]
            changed = True
    if changed:
        touch(visit)
    if visit.status == "assigned":
        lifecycle.move(visit, "in_progress", actor)
    scores.refresh_if_scored(visit)
    return changed


def device_times(item: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """When the phone says the answer was first given and last changed (`first_at`,
    `changed_at`: ISO 8601 with an offset). A time without an offset, unreadable, or later
    than the server's clock allows is dropped: the server's own times still stand."""
    latest = utcnow() + DEVICE_CLOCK_SLACK
    times = []
    for key in ("first_at", "changed_at"):
        raw = item.get(key)
        try:
            moment = datetime.fromisoformat(raw) if isinstance(raw, str) and len(raw) < 40 else None
        except ValueError:
            moment = None
        ok = moment is not None and moment.tzinfo is not None and moment <= latest
        times.append(moment.astimezone(UTC) if ok else None)
    return times[0], times[1]


def store_moments(visit: Visit) -> None:
    """Keep the visit's date and time columns equal to what the shopper typed."""
    visit.visited_at, visit.time_in, visit.time_out = visit_moments(
        visit.channel, visit.facts, visit.zone)


def touch(visit: Visit) -> None:
    """Count a change to the visit's answers in its version counter: the flush then updates
    the visit's row `WHERE revision = <the one read>`, so of two requests changing the same
    visit at once the second matches no row and saves nothing (no lost update)."""
    flag_modified(visit, "status")


def commit_or_conflict() -> None:
    """Commit, or roll back and raise VisitConflict when another request won the race."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise VisitConflict from None


def flush_or_conflict() -> None:
    """Write the changes so far (the visit's revision guard runs here, not at a later
    query's autoflush), or roll back and raise VisitConflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise VisitConflict from None


def submit(visit: Visit, actor: User) -> Visit:
    """Validate required answers, store the scores and move the visit to submitted.

    Submitting a visit that is already submitted (a double tap, a retried request)
    returns it unchanged, also when the two requests raced.
    """
    return _submit(visit, actor, own_changes=False)


def _submit(visit: Visit, actor: User, own_changes: bool) -> Visit:
    if visit.status in SENT:
        return visit
    if not lifecycle.can_move(visit, "submitted"):
        raise lifecycle.IllegalTransition(visit.status, "submitted")
    computed = scores.compute(visit)
    result = computed[0]
    required = {q.code for q in visit.checklist_version.ordered_questions()
                if q.required} - staff.hidden_staff_codes(visit)
    missing = [
        r.code for r in result.questions if r.code in required and r.status == "unanswered"
    ]
    if missing:
        raise MissingAnswers(missing)
    scores.store(visit, computed)
    lifecycle.move(visit, "submitted", actor)
    try:
        flush_or_conflict()
        events.announce_submitted(visit)  # in the same transaction as the submission
        commit_or_conflict()
    except VisitConflict:
        # Another request changed the visit first. If it submitted it and this request
        # brought no answers of its own (a double tap, a retry), theirs stands and this one
        # answers like a repeat; otherwise this one's changes are lost: say so.
        if own_changes:
            raise
        db.session.refresh(visit)
        if visit.status not in SENT:
            raise
    fire.after_commit(fire.on_submitted, visit)  # once per rule and visit: a repeat adds none
    return visit
