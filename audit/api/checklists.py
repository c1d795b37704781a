"""Checklists with their versions, sections and questions."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.orm import selectinload

from audit import access
from audit.api.errors import Blueprint
from audit.api.schemas import ChecklistSchema, ChecklistSummarySchema
from audit.extensions import db
from audit.models.checklists import Checklist

blp = Blueprint("api_checklists", __name__, url_prefix="/api/v1/checklists",
                description="Checklists")


@blp.get("")
@blp.response(200, ChecklistSummarySchema(many=True))
@blp.errors()
def list_checklists():
    """Checklists in the caller's scope."""
    rows = db.session.scalars(access.checklists_query(current_user).order_by(Checklist.id)
                              .options(selectinload(Checklist.versions)))
    return [_visible(c) for c in rows]


@blp.get("/<int:checklist_id>")
@blp.response(200, ChecklistSchema)
@blp.errors(404)
def get_checklist(checklist_id: int):
    """One checklist with every version's sections and questions."""
    return _visible(access.get_in_scope(access.checklists_query(current_user), Checklist,
                                      checklist_id))


def _visible(checklist: Checklist) -> dict:
    """The checklist with the versions the caller may read (drafts are the managers')."""
    return {"id": checklist.id, "code": checklist.code, "title": checklist.title,
            "versions": access.readable_versions(current_user, checklist)}
