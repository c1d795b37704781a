"""Who may see and do what: every page and API endpoint scopes its queries here.

A shopper sees their own visits; a quality manager their brand; a franchise owner the
published visits of their franchisee's branches and never a shopper's identity; an admin
everything. Records outside a user's scope answer 404, so ids reveal nothing.
"""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy import Select, false, select

from audit.auth.models import User
from audit.campaigns.models import Campaign, campaign_branches
from audit.checklists.models import Checklist, ChecklistVersion
from audit.extensions import db
from audit.orgs.models import Branch
from audit.visits.models import Visit

SHOPPER_EDITABLE = ("assigned", "in_progress", "returned")
T = TypeVar("T")


def visits_query(user: User) -> Select[tuple[Visit]]:
    """The visits `user` may read."""
    query = select(Visit)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.join(Visit.branch).where(Branch.brand_id == user.brand_id)
        case "franchise_owner":
            return (
                query.join(Visit.branch)
                .where(Branch.franchisee_id == user.franchisee_id)
                .where(Visit.status == "approved")
            )
        case "shopper":
            return query.where(Visit.shopper_id == user.id)
    return query.where(false())


def branches_query(user: User) -> Select[tuple[Branch]]:
    """The branches `user` may read (a shopper: those they have a visit at)."""
    query = select(Branch)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Branch.brand_id == user.brand_id)
        case "franchise_owner":
            return query.where(Branch.franchisee_id == user.franchisee_id)
        case "shopper":
            mine = select(Visit.branch_id).where(Visit.shopper_id == user.id)
            return query.where(Branch.id.in_(mine))
    return query.where(false())


def campaigns_query(user: User) -> Select[tuple[Campaign]]:
    """The campaigns `user` may read."""
    query = select(Campaign)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Campaign.brand_id == user.brand_id)
        case "franchise_owner":
            owned = (
                select(campaign_branches.c.campaign_id)
                .join(Branch, Branch.id == campaign_branches.c.branch_id)
                .where(Branch.franchisee_id == user.franchisee_id)
            )
            return query.where(Campaign.id.in_(owned))
        case "shopper":
            mine = select(Visit.campaign_id).where(Visit.shopper_id == user.id)
            return query.where(Campaign.id.in_(mine))
    return query.where(false())


def checklists_query(user: User) -> Select[tuple[Checklist]]:
    """The checklists `user` may read (a shopper: those of their visits)."""
    query = select(Checklist)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(Checklist.brand_id == user.brand_id)
        case "franchise_owner":
            brand_id = user.franchisee.brand_id if user.franchisee else None
            return query.where(Checklist.brand_id == brand_id)
        case "shopper":
            mine = (
                select(ChecklistVersion.checklist_id)
                .join(Visit, Visit.checklist_version_id == ChecklistVersion.id)
                .where(Visit.shopper_id == user.id)
            )
            return query.where(Checklist.id.in_(mine))
    return query.where(false())


def get_or_404(query: Select[tuple[T]], model: type, ident: int) -> T:
    """Fetch one record by id inside a scoped query, 404 when out of scope or absent."""
    row = db.session.scalars(query.where(model.id == ident)).first()
    if row is None:
        abort(404)
    return row


def visit_for(user: User, visit_id: int) -> Visit:
    """The visit if `user` may read it, else 404."""
    return get_or_404(visits_query(user), Visit, visit_id)


def can_see_shopper(user: User) -> bool:
    """Shopper identities are for managers and admins only (mystery-shopping codes)."""
    return user.role in ("admin", "quality_manager")


def can_fill(user: User, visit: Visit) -> bool:
    """A shopper edits their own visit while it is assigned, in progress or returned."""
    return user.role == "shopper" and visit.shopper_id == user.id and (
        visit.status in SHOPPER_EDITABLE
    )


def can_see_scores(user: User, visit: Visit) -> bool:
    """Scores of a visit in scope; a shopper sees only the stored scores of their own
    report once submitted (never a branch's aggregate, see `can_compare`)."""
    if user.role == "shopper":
        return visit.shopper_id == user.id and visit.scored_at is not None
    return True


def can_review(user: User) -> bool:
    """Reviewing, editing, returning and publishing visits is the managers' work."""
    return user.role in ("admin", "quality_manager")


def can_compare(user: User) -> bool:
    """Branch comparisons are for managers, owners (their branches) and admins."""
    return user.role in ("admin", "quality_manager", "franchise_owner")


# Corrective actions ----------------------------------------------------------------------

from audit.actions.models import STATUSES as ACTION_STATUSES  # noqa: E402
from audit.actions.models import CorrectiveAction  # noqa: E402

OWNER_ACTION_TARGETS = frozenset({"in_progress", "done"})


def actions_query(user: User) -> Select[tuple[CorrectiveAction]]:
    """The corrective actions `user` may read: managers their brand, owners the actions of
    their franchisee's branches once the source visit is published, shoppers none."""
    query = select(CorrectiveAction)
    match user.role:
        case "admin":
            return query
        case "quality_manager":
            return query.where(CorrectiveAction.brand_id == user.brand_id)
        case "franchise_owner":
            owned = select(Branch.id).where(Branch.franchisee_id == user.franchisee_id)
            published = select(Visit.id).where(Visit.status == "approved")
            return query.where(
                CorrectiveAction.branch_id.in_(owned),
                CorrectiveAction.visit_id.is_(None) | CorrectiveAction.visit_id.in_(published),
            )
    return query.where(false())


def can_see_actions(user: User) -> bool:
    """Managers, admins and franchise owners work on corrective actions; shoppers never."""
    return user.role in ("admin", "quality_manager", "franchise_owner")


def action_for(user: User, action_id: int) -> CorrectiveAction:
    """The action if `user` may read it, else 404."""
    return get_or_404(actions_query(user), CorrectiveAction, action_id)


def can_manage_actions(user: User) -> bool:
    """Raising actions, changing severity, due date or assignee, and verifying: managers."""
    return user.role in ("admin", "quality_manager")


def action_targets(user: User, action: CorrectiveAction) -> list[str]:
    """The statuses `user` may move an action (already in scope) to: an owner only to in
    progress or done, never to verified."""
    allowed = [s for s in ACTION_STATUSES if action.can_move(s)]
    if can_manage_actions(user):
        return allowed
    if user.role == "franchise_owner":
        return [s for s in allowed if s in OWNER_ACTION_TARGETS]
    return []


def can_work_on_action(user: User, action: CorrectiveAction) -> bool:
    """Comment and add evidence: managers always, an owner until the fix is verified."""
    if can_manage_actions(user):
        return True
    return user.role == "franchise_owner" and action.status != "verified"
