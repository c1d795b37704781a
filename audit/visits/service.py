"""Reads of a visit for every page that shows it (review, the shopper's and the owner's visit
pages, the visit PDF): who changed which answer, when, why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.visits import Visit

# The log entries that change an answer after the shopper sent it.
ANSWER_CHANGES = ("edit_answer", "dispute_accepted")


@dataclass(frozen=True)
class AnswerEdit:
    code: str
    by: str | None  # None: not named to this reader ("the quality team")
    at: datetime
    reason: str
    after_dispute: bool


def answer_edits(visit: Visit, *, named: bool = True) -> dict[str, list[AnswerEdit]]:
    """Each question's changes, oldest first. The reason a reviewer gave was stored in the
    log and shown nowhere on the visit (defect 16): the review screen, the owner's visit
    page, the shopper's read-only visit and the visit PDF print it under the answer. Names
    are of staff (reviewers, managers), never the shopper, and only when `named` (see
    `access.can_see_reviewer`)."""
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "visit", AuditLog.entity_id == visit.id,
                               AuditLog.action.in_(ANSWER_CHANGES))
        .options(selectinload(AuditLog.actor)).order_by(AuditLog.at, AuditLog.id))
    edits: dict[str, list[AnswerEdit]] = {}
    for row in rows:
        edits.setdefault(row.field or "", []).append(AnswerEdit(
            row.field or "", (row.actor.name if row.actor else "—") if named else None,
            row.at, row.reason or "",
            row.action == "dispute_accepted"))
    return edits
