"""Queries of the campaign pages: status counts, visit lists, shopper loads and history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.checklists import Checklist, ChecklistVersion
from audit.models.orgs import Branch, Brand
from audit.models.visits import Visit
from audit.textsort import by_name
from audit.vocabulary import SHOPPER_EDITABLE

VISIT_PAGE = 100


def campaign_list(user: User, brand: Brand) -> tuple[list[Campaign], dict[int, Counter]]:
    """The brand's campaigns, newest first, with their visit counts by status."""
    campaigns = list(db.session.scalars(
        access.managed_campaigns_query(user).where(Campaign.brand_id == brand.id)
        .options(selectinload(Campaign.checklist_version).selectinload(
            ChecklistVersion.checklist))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())))
    counts: dict[int, Counter] = {c.id: Counter() for c in campaigns}
    rows = db.session.execute(
        select(Visit.campaign_id, Visit.status, func.count())
        .where(Visit.campaign_id.in_(counts)).group_by(Visit.campaign_id, Visit.status))
    for campaign_id, status, count in rows:
        counts[campaign_id][status] = count
    return campaigns, counts


def status_counts(campaign: Campaign) -> Counter:
    """The campaign's visits by status."""
    rows = db.session.execute(select(Visit.status, func.count()).where(
        Visit.campaign_id == campaign.id).group_by(Visit.status))
    return Counter({status: count for status, count in rows})


def published_versions(brand: Brand) -> list[ChecklistVersion]:
    """Published checklist versions of the brand, a campaign's choice of checklist."""
    return list(db.session.scalars(
        select(ChecklistVersion).join(ChecklistVersion.checklist)
        .where(Checklist.brand_id == brand.id, ChecklistVersion.published_at.is_not(None))
        .options(selectinload(ChecklistVersion.checklist))
        .order_by(Checklist.code, ChecklistVersion.number.desc())))


def brand_branches(brand: Brand) -> list[Branch]:
    """All the brand's branches with their region and franchisee, for the branch picker."""
    return list(db.session.scalars(
        select(Branch).where(Branch.brand_id == brand.id)
        .options(selectinload(Branch.region), selectinload(Branch.franchisee))
        .order_by(Branch.code)))


def visit_counts_by_branch(campaign: Campaign) -> dict[int, int]:
    """How many visits the campaign already has at each branch."""
    rows = db.session.execute(
        select(Visit.branch_id, func.count()).where(Visit.campaign_id == campaign.id)
        .group_by(Visit.branch_id))
    return {branch_id: count for branch_id, count in rows}


def last_shoppers(branch_ids: list[int]) -> dict[int, int]:
    """Each branch's most recent visit's shopper (by due date), for the twice-in-a-row rule."""
    if not branch_ids:
        return {}
    ranked = (
        select(Visit.branch_id, Visit.shopper_id, func.row_number().over(
            partition_by=Visit.branch_id,
            order_by=(Visit.due_from.desc(), Visit.id.desc())).label("n"))
        .where(Visit.branch_id.in_(branch_ids), Visit.shopper_id.is_not(None))
        .subquery())
    rows = db.session.execute(
        select(ranked.c.branch_id, ranked.c.shopper_id).where(ranked.c.n == 1))
    return {branch_id: shopper_id for branch_id, shopper_id in rows}


def shopper_loads(shopper_ids: list[int], statuses: tuple[str, ...] = SHOPPER_EDITABLE
                  ) -> dict[int, int]:
    """Visits each shopper holds in `statuses` (by default all open work: assigned, in
    progress, returned)."""
    loads = dict.fromkeys(shopper_ids, 0)
    if shopper_ids:
        rows = db.session.execute(
            select(Visit.shopper_id, func.count())
            .where(Visit.shopper_id.in_(shopper_ids), Visit.status.in_(statuses))
            .group_by(Visit.shopper_id))
        for shopper_id, count in rows:
            loads[shopper_id] = count
    return loads


def shoppers(user: User) -> list[User]:
    """The active shoppers `user` may assign visits to, by name."""
    return by_name(db.session.scalars(access.shoppers_query(user)))


@dataclass
class VisitPage:
    visits: list[Visit]
    total: int
    page: int
    pages: int


def campaign_visits(campaign: Campaign, status: str, region: int | None, page: int) -> VisitPage:
    """One page of the campaign's visits, by branch code, filtered by status and region."""
    query = select(Visit).join(Visit.branch).where(Visit.campaign_id == campaign.id)
    if status:
        query = query.where(Visit.status == status)
    if region:
        query = query.where(Branch.region_id == region)
    total = db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    pages = max(1, -(-total // VISIT_PAGE))
    page = min(max(1, page), pages)
    visits = list(db.session.scalars(
        query.options(selectinload(Visit.branch).selectinload(Branch.region),
                      selectinload(Visit.shopper))
        .order_by(Branch.code, Visit.due_from, Visit.id)
        .limit(VISIT_PAGE).offset((page - 1) * VISIT_PAGE)))
    return VisitPage(visits, total, page, pages)


def latest_with_results(user: User) -> Campaign | None:
    """The latest finished campaign with published visits (a running wave has too few visits
    per branch to rank), else the latest running one. The start page, the portal, the
    comparison page and the report form open on it: the newest campaign may have no results
    yet (all "—", n = 0; defect 10)."""
    published = select(Visit.campaign_id).where(Visit.is_published)
    running_last = case((Campaign.ends_on >= date.today(), 1), else_=0)
    return db.session.scalars(
        access.campaigns_query(user)
        .where(Campaign.id.in_(published))
        .order_by(running_last, Campaign.ends_on.desc(), Campaign.id.desc())
    ).first()
