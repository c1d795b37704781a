"""A quality manager's changes to a submitted visit: edit with a reason, return (with a
resubmit deadline, the shopper told), approve."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from audit.actions import operations as actions
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.visits import Answer, Visit
from audit.notifications import notify
from audit.triggers import fire
from audit.visits import events, lifecycle, scores
from audit.visits.operations import AnswerErrors, invalid_message
from audit.visits.validation import Invalid, normalize
from audit.vocabulary import PUBLISHED


class ReviewConflict(Exception):
    """Someone else changed the visit since this reviewer opened it."""


class ReasonRequired(Exception):
    """Edits and returns need a reason (kept in the audit log)."""


def _check_revision(visit: Visit, expected: int | None) -> None:
    if expected is not None and visit.revision != expected:
        raise ReviewConflict(visit.id)


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ReviewConflict from None


def _flush() -> None:
    """Write the change now, so a lost race is a ReviewConflict here and not a later
    query's autoflush error."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ReviewConflict from None


def edit_answer(visit: Visit, code: str, value: Any, na: bool, reason: str, actor: User,
                expected_revision: int | None) -> Visit:
    """Change one answer of a submitted visit, log old and new values, rescore."""
    if not (reason or "").strip():
        raise ReasonRequired
    _check_revision(visit, expected_revision)
    question = next((q for q in visit.checklist_version.ordered_questions() if q.code == code),
                    None)
    if question is None:
        raise AnswerErrors({code: invalid_message(Invalid("unknown_question", {}))})
    normalized = normalize(scores.question_spec(question), value, na)
    if isinstance(normalized, Invalid):
        raise AnswerErrors({code: invalid_message(normalized)})
    answer = next((a for a in visit.answers if a.question_id == question.id), None)
    old = None if answer is None else {"value": answer.value, "na": answer.na}
    if answer is None:
        answer = Answer(question=question)
        visit.answers.append(answer)
    answer.value, answer.na = normalized, na
    record(actor, "visit", visit.id, "edit_answer", field=code, old=old,
           new={"value": normalized, "na": na}, reason=reason.strip())
    scores.store(visit)
    _commit()
    return visit


def return_visit(visit: Visit, comment: str, actor: User, expected_revision: int | None) -> None:
    """Send the visit back to the shopper with the reviewer's comments."""
    if not (comment or "").strip():
        raise ReasonRequired
    _check_revision(visit, expected_revision)
    visit.reviewer_comment = comment.strip()
    lifecycle.move(visit, "returned", actor, reason=comment.strip())
    hours = visit.campaign.brand.resubmit_within_hours
    visit.resubmit_by = utcnow() + timedelta(hours=hours)
    visit.resubmit_expired_at = None
    if visit.shopper is not None:
        with db.session.no_autoflush:  # the version check stays with the commit below
            notify(visit.shopper, "visit_returned", link=f"/visits/{visit.id}",
                   context={"visit_id": visit.id, "branch": visit.branch.name,
                            "branch_code": visit.branch.code,
                            "campaign": visit.campaign.name, "comments": comment.strip(),
                            "resubmit_by": visit.resubmit_by.isoformat(), "hours": hours},
                   dedupe_key=f"visit:{visit.id}:returned:{visit.resubmit_by:%Y%m%dT%H%M%S}")
    _commit()


def approve(visit: Visit, actor: User | None, expected_revision: int | None,
            reason: str = "") -> None:
    """Publish the visit: owners see it and comparisons count it. The service level's
    automatic publishing comes through here too (no actor, its reason logged)."""
    _check_revision(visit, expected_revision)
    lifecycle.move(visit, PUBLISHED, actor, reason=reason)
    _flush()
    events.announce_published(visit)  # the owners hear of it in the same transaction
    _commit()
    actions.on_visit_published(visit, actor)
    fire.after_commit(fire.on_published, visit)
