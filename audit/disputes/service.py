"""Reading disputes for the managers' queue and the resolution screen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.orgs import Branch
from audit.models.visits import Answer, Photo, Visit
from audit.scoring.stored import QuestionRow
from audit.vocabulary import DISPUTE_STATUSES

PER_PAGE = 50


@dataclass
class DisputeRow:
    """A dispute with the answer it contests and how that answer counted."""

    dispute: Dispute
    answer: Answer | None
    points: QuestionRow | None  # how the answer counted in the stored scores


def breakdown_row(visit: Visit, code: str) -> QuestionRow | None:
    """The question's earned and possible points as stored with the visit's scores."""
    return visit.score_record.question(code)


def _row(dispute: Dispute) -> DisputeRow:
    answer = next((a for a in dispute.visit.answers if a.question_id == dispute.question_id),
                  None)
    return DisputeRow(dispute, answer, breakdown_row(dispute.visit, dispute.question.code))


def queue(user: User, status: str | None = "open", region_id: int | None = None,
          page: int = 1):
    """Disputes in the user's scope, open ones oldest first, decided ones latest first."""
    query = access.disputes_query(user).options(
        selectinload(Dispute.visit).selectinload(Visit.branch),
        selectinload(Dispute.visit).selectinload(Visit.campaign),
        selectinload(Dispute.visit).selectinload(Visit.answers),
        selectinload(Dispute.question), selectinload(Dispute.opened_by),
    )
    if status in DISPUTE_STATUSES:
        query = query.where(Dispute.status == status)
    if region_id is not None:
        query = query.where(Branch.region_id == region_id)
    if status == "open":
        query = query.order_by(Dispute.opened_at, Dispute.id)
    else:
        query = query.order_by(Dispute.resolved_at.is_(None).desc(),
                               Dispute.resolved_at.desc(), Dispute.opened_at, Dispute.id)
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    return pagination, [_row(d) for d in pagination.items]


def for_resolution(user: User, dispute_id: int) -> tuple[DisputeRow, list[Photo], list[Photo]]:
    """The dispute, its answer and points, the answer's photos and the visit's other photos."""
    query = access.disputes_query(user).options(
        selectinload(Dispute.visit).selectinload(Visit.answers).selectinload(Answer.question),
        selectinload(Dispute.visit).selectinload(Visit.photos),
    )
    dispute = access.get_in_scope(query, Dispute, dispute_id)
    photos = dispute.visit.photos
    own = [p for p in photos if p.question_id == dispute.question_id]
    general = [p for p in photos if p.question_id is None]
    return _row(dispute), own, general

