"""Disputes: a franchise owner contests an answer of a published visit of their branches."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.orm import selectinload

from audit import access
from audit.api.errors import Blueprint, api_error
from audit.api.schemas import DisputeInput, DisputeSchema
from audit.disputes import operations
from audit.extensions import db
from audit.models.visits import Answer, Visit

blp = Blueprint("api_disputes", __name__, url_prefix="/api/v1/visits", description="Disputes")


@blp.post("/<int:visit_id>/disputes")
@blp.arguments(DisputeInput)
@blp.response(201, DisputeSchema)
@blp.errors(400, 403, 404, 409, 413, 422)
def open_dispute(body: dict, visit_id: int):
    """Dispute one answer (by question code) with a comment and, optionally, the answer the
    owner believes is right. One open dispute per answer; 409 while one is open."""
    if not access.can_dispute(current_user):
        api_error(403, operations.NotOwner().message())
    query = access.visits_query(current_user).options(
        selectinload(Visit.answers).selectinload(Answer.question))
    visit = access.get_in_scope(query, Visit, visit_id)
    try:
        return operations.open_dispute(
            visit, body["question"], body["comment"], current_user,
            proposed_value=body["proposed_value"], proposed_na=body["proposed_na"])
    except operations.DisputeError as error:
        db.session.rollback()
        api_error(error.status, error.message(), error.details)
