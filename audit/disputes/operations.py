"""Opening and resolving disputes. Every step is logged; accepting one changes the answer
and rescores the visit, which stays published."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from audit import access
from audit.actions import operations as actions
from audit.core.clock import utcnow
from audit.disputes import events
from audit.errors import DomainError
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.visits import Answer, Visit
from audit.visits import scores, staff
from audit.visits.operations import AnswerErrors, invalid_message
from audit.visits.validation import Invalid, normalize

COMMENT_LIMIT = 2000


class DisputeError(DomainError):
    """A refused dispute step: an HTTP status, a message in the user's language, details."""

    status = 422

    def message(self) -> str:
        return _("Some fields are not valid; nothing was saved.")


class NotOwner(DisputeError):
    status = 403

    def message(self) -> str:
        return _("Only the franchise owner of the branch can dispute an answer.")


class NotOwnBranch(DisputeError):
    status = 404

    def message(self) -> str:
        return _("Not found.")


class NotPublished(DisputeError):
    def message(self) -> str:
        return _("Only published visits can be disputed.")


class InvalidDispute(DisputeError):
    """Field errors (comment, question, proposed value); nothing was saved."""


class DuplicateDispute(DisputeError):
    status = 409

    def message(self) -> str:
        return _("This answer already has an open dispute; wait for the quality team's "
                 "decision.")


class ReasonRequired(DisputeError):
    def message(self) -> str:
        return _("Give a reason for the decision.")


class DisputeConflict(DisputeError):
    """The visit changed or the dispute was resolved since the manager opened it."""

    status = 409

    def message(self) -> str:
        return _("Someone else changed this visit or decided this dispute while you were "
                 "looking at it. Here is the current state; nothing of yours was saved.")


def _answer(visit: Visit, question_id: int) -> Answer | None:
    return next((a for a in visit.answers if a.question_id == question_id), None)


def open_dispute(visit: Visit, question_code: str, comment: str | None, owner: User, *,
                 proposed_value: Any = None, proposed_na: bool = False) -> Dispute:
    """Open a dispute of one answer of a published visit of the owner's own branches."""
    if not access.can_dispute(owner):
        raise NotOwner
    if visit.branch.franchisee_id is None or visit.branch.franchisee_id != owner.franchisee_id:
        raise NotOwnBranch
    if not visit.is_published:
        raise NotPublished
    errors: dict[str, str] = {}
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = _("Say what is wrong with this answer.")
    elif len(comment) > COMMENT_LIMIT:
        errors["comment"] = invalid_message(Invalid("too_long", {"limit": COMMENT_LIMIT}))
    question = next((q for q in visit.checklist_version.ordered_questions()
                     if q.code == question_code), None)
    answer = _answer(visit, question.id) if question else None
    if answer is None or question_code in staff.hidden_staff_codes(visit):
        # A staff answer the brand does not show is, to the owner, no answer at all.
        errors["question"] = _("This visit has no answer to that question.")
    proposal = None
    if question is not None and (proposed_na or proposed_value not in (None, "")):
        proposal = normalize(scores.question_spec(question), proposed_value, proposed_na)
        if isinstance(proposal, Invalid):
            errors["proposed_value"] = invalid_message(proposal)
    if errors:
        raise InvalidDispute(errors)
    if db.session.scalar(select(Dispute.id).where(
            Dispute.visit_id == visit.id, Dispute.question_id == question.id,
            Dispute.status == "open")):
        raise DuplicateDispute
    dispute = Dispute(visit=visit, question=question, opened_by=owner, comment=comment,
                      proposed_value=proposal, proposed_na=proposed_na)
    try:
        with db.session.begin_nested():
            db.session.add(dispute)
    except IntegrityError:  # a second request for the same answer won the race
        raise DuplicateDispute from None
    record(owner, "dispute", dispute.id, "open", field=question.code,
           old={"value": answer.value, "na": answer.na},
           new={"value": proposal, "na": proposed_na}, reason=comment)
    events.announce_opened(dispute)
    db.session.commit()
    return dispute


def _check_open(dispute: Dispute, expected_revision: int | None) -> None:
    if dispute.status != "open":
        raise DisputeConflict
    if expected_revision is not None and dispute.visit.revision != expected_revision:
        raise DisputeConflict


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired({"reason": _("Give a reason for the decision.")})
    return reason


def _resolve(dispute: Dispute, status: str, reason: str, actor: User) -> None:
    dispute.status = status
    dispute.resolution_reason = reason
    dispute.resolved_by = actor
    dispute.resolved_at = utcnow()


def _commit(dispute: Dispute) -> None:
    """Commit the decision; the owners hear of it in the same transaction, after a flush
    that turns a lost race into DisputeConflict first."""
    try:
        db.session.flush()
        events.announce_resolved(dispute)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise DisputeConflict from None


def accept(dispute: Dispute, value: Any, na: bool, reason: str | None, actor: User,
           expected_revision: int | None) -> Visit:
    """Set the corrected answer, rescore the published visit, log old and new values."""
    reason = _reason(reason)
    _check_open(dispute, expected_revision)
    visit, question = dispute.visit, dispute.question
    normalized = normalize(scores.question_spec(question), value, na)
    if isinstance(normalized, Invalid):
        raise AnswerErrors({question.code: invalid_message(normalized)})
    answer = _answer(visit, question.id)
    if answer is None:
        answer = Answer(question=question)
        visit.answers.append(answer)
    old = {"value": answer.value, "na": answer.na, "score": visit.score_overall}
    answer.value, answer.na = normalized, na
    scores.store(visit)
    new = {"value": normalized, "na": na, "score": visit.score_overall}
    record(actor, "visit", visit.id, "dispute_accepted", field=question.code, old=old, new=new,
           reason=reason)
    record(actor, "dispute", dispute.id, "accept", field=question.code, old=old, new=new,
           reason=reason)
    _resolve(dispute, "accepted", reason, actor)
    actions.close_after_dispute(visit, question.code, actor, reason)
    _commit(dispute)
    return visit


def reject(dispute: Dispute, reason: str | None, actor: User,
           expected_revision: int | None) -> None:
    """Keep the answer as it is; the reason is what the owner will read."""
    reason = _reason(reason)
    _check_open(dispute, expected_revision)
    record(actor, "dispute", dispute.id, "reject", field=dispute.question.code, reason=reason)
    _resolve(dispute, "rejected", reason, actor)
    _commit(dispute)
