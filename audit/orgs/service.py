"""Queries of the organisation pages: the filtered, paginated branch list and lookups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.visits import Visit
from audit.textfold import fold
from audit.textsort import by_name

PAGE_SIZE = 50


@dataclass
class BranchFilters:
    region: int | None = None
    franchisee: int | None = None
    active: str = ""  # "", "yes" or "no"
    search: str = ""
    page: int = 1


@dataclass
class BranchPage:
    branches: list[Branch]
    total: int
    page: int
    pages: int
    visit_counts: dict[int, int]


def branch_page(user: User, brand: Brand, filters: BranchFilters) -> BranchPage:
    """One page of the brand's branches matching the filters, with their visit counts."""
    query = access.managed_branches_query(user).where(Branch.brand_id == brand.id)
    if filters.region:
        query = query.where(Branch.region_id == filters.region)
    if filters.franchisee == -1:
        query = query.where(Branch.franchisee_id.is_(None))
    elif filters.franchisee:
        query = query.where(Branch.franchisee_id == filters.franchisee)
    if filters.active in ("yes", "no"):
        query = query.where(Branch.active.is_(filters.active == "yes"))
    if filters.search.strip():
        query = query.where(Branch.search_text.contains(fold(filters.search), autoescape=True))
    total = db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    branches = list(db.session.scalars(
        query.options(selectinload(Branch.region), selectinload(Branch.franchisee))
        .order_by(Branch.code).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return BranchPage(branches, total, page, pages, visit_counts([b.id for b in branches]))


def visit_counts(branch_ids: list[int]) -> dict[int, int]:
    """How many visits each branch has (a branch with visits is deactivated, not deleted)."""
    if not branch_ids:
        return {}
    rows = db.session.execute(select(Visit.branch_id, func.count()).where(
        Visit.branch_id.in_(branch_ids)).group_by(Visit.branch_id))
    return {branch_id: count for branch_id, count in rows}


def regions(brand: Brand) -> list[Region]:
    return by_name(db.session.scalars(select(Region).where(Region.brand_id == brand.id)))


def franchisees(brand: Brand) -> list[Franchisee]:
    return by_name(db.session.scalars(select(Franchisee).where(Franchisee.brand_id == brand.id)))


def branch_counts(brand: Brand) -> tuple[dict[int, int], dict[int, int]]:
    """Branches per region and per franchisee, for the regions and franchisees page."""
    per_region: dict[int, int] = dict(db.session.execute(
        select(Branch.region_id, func.count()).where(Branch.brand_id == brand.id)
        .group_by(Branch.region_id)).all())
    per_franchisee = dict(db.session.execute(
        select(Branch.franchisee_id, func.count()).where(Branch.brand_id == brand.id)
        .where(Branch.franchisee_id.is_not(None)).group_by(Branch.franchisee_id)).all())
    return per_region, per_franchisee
