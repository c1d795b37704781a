"""Who hears of an event, in one place: the scope rules of `audit.access` turned into lists
of people, so every feature that announces something names its recipients the same way.

A manager's event goes to the brand's quality managers; the administrators hear of it only
when the brand has no active manager (an admin sees every brand, and copying every brand's
daily events to them would bury the ones nobody else can act on). An owner's event goes to
the owners of the branch's franchisee who may read the record now (a visit only once it is
published), and never names the shopper (`facts.visit_facts`)."""

from __future__ import annotations

from flask import current_app

from audit import access
from audit.extensions import db
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.models.orgs import Branch
from audit.models.visits import Visit


def path_for(endpoint: str, **values: object) -> str:
    """The path of a page inside the app ("/review/12"), also where no request is running
    (the scheduled tick); delivery makes it absolute."""
    return current_app.url_map.bind("").build(endpoint, values)


def brand_managers(brand_id: int) -> list[User]:
    """The brand's active quality managers, or the active admins when it has none."""
    managers = list(db.session.scalars(access.brand_managers_query(brand_id)))
    return managers or list(db.session.scalars(access.admins_query()))


def visit_managers(visit: Visit) -> list[User]:
    """Who reviews the visit: its brand's managers (`brand_managers`)."""
    return [m for m in brand_managers(visit.branch.brand_id) if access.may_read_visit(m, visit.id)]


def branch_owners(branch: Branch) -> list[User]:
    """The active owners of the branch's franchisee."""
    return list(db.session.scalars(access.branch_owners_query(branch)))


def visit_owners(visit: Visit) -> list[User]:
    """The owners of the visit's branch who may read it now (published visits only)."""
    return [o for o in branch_owners(visit.branch) if access.may_read_visit(o, visit.id)]


def action_owners(action: CorrectiveAction) -> list[User]:
    """The owners of the action's branch who may read it (its visit published)."""
    return [o for o in branch_owners(action.branch) if access.may_read_action(o, action.id)]


def may_hear_of_action(user: User | None, action: CorrectiveAction) -> bool:
    """An assignee hears of an action only while it is in their scope."""
    return user is not None and access.may_read_action(user, action.id)
