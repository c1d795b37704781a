"""Branches in the caller's scope."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy.orm import selectinload

from audit import access
from audit.api.errors import Blueprint
from audit.api.schemas import BranchSchema
from audit.extensions import db
from audit.models.orgs import Branch

blp = Blueprint("api_branches", __name__, url_prefix="/api/v1/branches", description="Branches")


@blp.get("")
@blp.response(200, BranchSchema(many=True))
@blp.errors()
def list_branches():
    """Branches the caller may see."""
    return db.session.scalars(access.branches_query(current_user).order_by(Branch.code).options(
        selectinload(Branch.region), selectinload(Branch.franchisee))).all()
