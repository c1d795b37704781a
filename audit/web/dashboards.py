"""What each role's landing page shows, built from the scoped queries and shared services."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.campaigns.service import latest_with_results
from audit.comparison.service import branch_comparison
from audit.extensions import db
from audit.models.auth import ROLES, User
from audit.models.campaigns import Campaign
from audit.models.orgs import Brand
from audit.models.visits import Visit
from audit.portal import service as portal
from audit.textsort import by_name

SHOPPER_GROUPS = ("returned", "overdue", "today", "upcoming", "submitted", "done")
OPEN_WORK = ("assigned", "in_progress")


def shopper_group(visit: Visit, today: date) -> str:
    """Where a visit sits on the shopper's list: what needs doing comes first."""
    if visit.status == "returned":
        return "returned"
    if visit.status in OPEN_WORK:
        if visit.due_until < today:
            return "overdue"
        return "upcoming" if visit.due_from > today else "today"
    return "done" if visit.is_published else "submitted"


def shopper(user: User) -> dict[str, Any]:
    """The shopper's visits: returned, overdue, due now, upcoming, sent, done (newest first)."""
    today = date.today()
    visits = db.session.scalars(
        access.visits_query(user)
        .options(selectinload(Visit.branch), selectinload(Visit.campaign))
        .order_by(Visit.due_until, Visit.id)
    ).all()
    groups: dict[str, list[Visit]] = {name: [] for name in SHOPPER_GROUPS}
    for visit in visits:
        groups[shopper_group(visit, today)].append(visit)
    groups["done"].reverse()
    return {"groups": groups, "today": today}


def quality_manager(user: User) -> dict[str, Any]:
    """Campaigns with their visit counts by status, and the latest campaign's ranking."""
    campaigns = db.session.scalars(
        access.campaigns_query(user).order_by(Campaign.starts_on.desc())
    ).all()
    counts = db.session.execute(
        access.visits_query(user)
        .with_only_columns(Visit.campaign_id, Visit.status, func.count())
        .group_by(Visit.campaign_id, Visit.status)
    ).all()
    by_campaign: dict[int, Counter] = {}
    for campaign_id, status, count in counts:
        by_campaign.setdefault(campaign_id, Counter())[status] = count
    latest = latest_with_results(user)
    comparison = branch_comparison(user, latest.id) if latest else None
    return {"campaigns": campaigns, "counts": by_campaign, "latest": latest,
            "comparison": comparison}


def franchise_owner(user: User) -> dict[str, Any]:
    """The portal home: the owner's branches in the latest campaign with published visits
    of theirs, beside the brand's average and distribution."""
    if not access.can_use_portal(user):  # an owner not attached to a franchisee yet
        return {"data": None, "branches": []}
    return {"data": portal.summary(user), "branches": portal.own_branches(user)}


def admin(user: User) -> dict[str, Any]:
    """People by role and the brands on the platform."""
    per_role = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return {
        "per_role": {role: per_role.get(role, 0) for role in ROLES},
        "brands": by_name(db.session.scalars(select(Brand))),
    }


BUILDERS = {
    "shopper": shopper,
    "quality_manager": quality_manager,
    "franchise_owner": franchise_owner,
    "admin": admin,
}
