"""A published visit as its branch's owner reads it: facts without the shopper, scores,
every answer with its points and the reason of any change to it, photos, the reviewer's
notes and the answer's disputes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.visits import Answer, Visit
from audit.portal.service import require_portal
from audit.visits import staff
from audit.visits.service import answer_edits


def visit_for_owner(user: User, visit_id: int) -> Visit:
    """A published visit of the owner's branches, with answers and photos; else OutOfScope."""
    require_portal(user)
    query = access.visits_query(user).options(
        selectinload(Visit.answers).selectinload(Answer.question), selectinload(Visit.photos),
        selectinload(Visit.branch), selectinload(Visit.campaign))
    return access.get_in_scope(query, Visit, visit_id)


def visit_screen(user: User, visit: Visit) -> dict[str, Any]:
    """What the visit page shows; nothing here names or links to the shopper."""
    answers = {a.question.code: a for a in visit.answers}
    breakdown = visit.score_record.by_code
    photos: dict[str | None, list] = {}
    for photo in visit.photos:
        photos.setdefault(photo.question.code if photo.question else None, []).append(photo)
    disputes: dict[str, list[Dispute]] = {}
    for dispute in db.session.scalars(
            access.disputes_query(user).where(Dispute.visit_id == visit.id)
            .options(selectinload(Dispute.question))
            .order_by(Dispute.opened_at.desc(), Dispute.id.desc())):
        disputes.setdefault(dispute.question.code, []).append(dispute)
    return {"visit": visit, "answers": answers, "breakdown": breakdown, "photos": photos,
            "disputes": disputes, "facts": staff.visit_facts(visit),
            "edits": answer_edits(visit, named=access.can_see_reviewer(user)),
            "staff_hidden": staff.hidden_staff_codes(visit)}
