"""A published visit as its branch's owner reads it: the visit read model (facts without the
shopper, scores, every answer with its points and the reason of any change to it, photos,
the reviewer's notes) and the answer's disputes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.visits import Visit
from audit.portal.service import require_portal
from audit.visits import read_model


def visit_for_owner(user: User, visit_id: int) -> Visit:
    """A published visit of the owner's branches, loaded for its view; else OutOfScope."""
    require_portal(user)
    return read_model.load(user, visit_id)


def visit_screen(user: User, visit: Visit) -> dict[str, Any]:
    """What the visit page shows; nothing here names or links to the shopper."""
    disputes: dict[str, list[Dispute]] = {}
    for dispute in db.session.scalars(
        access.disputes_query(user)
        .where(Dispute.visit_id == visit.id)
        .options(selectinload(Dispute.question))
        .order_by(Dispute.opened_at.desc(), Dispute.id.desc())
    ):
        disputes.setdefault(dispute.question.code, []).append(dispute)
    return {**read_model.page_context(read_model.build(user, visit)), "disputes": disputes}
