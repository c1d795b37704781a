"""A published visit as its branch's owner reads it: facts without the shopper, scores,
every answer with its points, photos, the reviewer's notes and the answer's disputes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from audit import access
from audit.auth.models import User
from audit.disputes.models import Dispute
from audit.extensions import db
from audit.labels import FACT
from audit.portal.service import require_portal
from audit.privacy import staff
from audit.visits.models import Answer, Visit

SHOPPER_FREE_FACTS = tuple(FACT)  # only known facts: free keys could carry a name


def visit_for_owner(user: User, visit_id: int) -> Visit:
    """A published visit of the owner's branches, with answers and photos; else 404."""
    require_portal(user)
    query = access.visits_query(user).options(
        selectinload(Visit.answers).selectinload(Answer.question), selectinload(Visit.photos),
        selectinload(Visit.branch), selectinload(Visit.campaign))
    return access.get_or_404(query, Visit, visit_id)


def visit_screen(user: User, visit: Visit) -> dict[str, Any]:
    """What the visit page shows; nothing here names or links to the shopper."""
    answers = {a.question.code: a for a in visit.answers}
    breakdown = {q["code"]: q for q in (visit.scores or {}).get("questions", [])}
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
            "disputes": disputes, "facts": visit_facts(visit),
            "staff_hidden": staff.hidden_staff_codes(visit)}


def visit_facts(visit: Visit) -> list[tuple[str, Any]]:
    """The facts as the shopper recorded them (local times), the visit's columns where a
    fact is missing; only known facts, never the shopper, and no staff description when
    the brand does not record staff names."""
    recorded = dict(visit.facts or {})
    fallback = {"visited_on": visit.visited_on and visit.visited_on.isoformat(),
                "time_in": visit.local_time("time_in"),
                "time_out": visit.local_time("time_out"),
                "staff_description": visit.staff_description}
    for name, value in fallback.items():
        if recorded.get(name) in (None, "") and value:
            recorded[name] = value
    recorded = staff.shown_facts(visit, recorded)
    return [(name, recorded[name]) for name in SHOPPER_FREE_FACTS
            if recorded.get(name) not in (None, "")]
