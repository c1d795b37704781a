"""Queries of the People pages: the filtered, paginated list (a platform may have thousands
of shoppers) and the brands and franchisees a form may offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.auditlog.models import AuditLog
from audit.auth.models import ROLES, User, utcnow
from audit.extensions import db
from audit.orgs.models import Brand, Franchisee
from audit.textfold import fold

PAGE_SIZE = 50
STATUSES = ("active", "inactive", "locked")


@dataclass
class PeopleFilters:
    search: str = ""
    role: str = ""
    brand: int | None = None
    status: str = ""  # "", or one of STATUSES
    page: int = 1


@dataclass
class PeoplePage:
    people: list[User]
    total: int
    page: int
    pages: int
    first: int  # 1-based position of the first person on the page
    now: datetime


def people_page(user: User, filters: PeopleFilters) -> PeoplePage:
    """One page of the people `user` manages matching the filters, by name."""
    query = access.people_query(user)
    if filters.search.strip():
        query = query.where(User.search_text.contains(fold(filters.search), autoescape=True))
    if filters.role in ROLES:
        query = query.where(User.role == filters.role)
    if filters.brand:
        owners_of = select(Franchisee.id).where(Franchisee.brand_id == filters.brand)
        query = query.where(or_(User.brand_id == filters.brand,
                                User.franchisee_id.in_(owners_of)))
    now = utcnow()
    if filters.status == "active":
        query = query.where(User.active.is_(True))
    elif filters.status == "inactive":
        query = query.where(User.active.is_(False))
    elif filters.status == "locked":
        query = query.where(User.locked_until > now)
    total = db.session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True)
                              .order_by(None)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    people = list(db.session.scalars(
        query.options(selectinload(User.brand),
                      selectinload(User.franchisee).selectinload(Franchisee.brand))
        .order_by(func.lower(User.name), User.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return PeoplePage(people, total, page, pages, (page - 1) * PAGE_SIZE + 1, now)


def brands(user: User) -> list[Brand]:
    """Brands a manager account may belong to (an admin: all)."""
    return list(db.session.scalars(access.brands_query(user)))


def franchisees(user: User) -> list[Franchisee]:
    """Franchisees an owner account may belong to: the manager's brand's, an admin's all."""
    return list(db.session.scalars(
        access.franchisees_query(user).options(selectinload(Franchisee.brand))
        .join(Franchisee.brand).order_by(Brand.name, Franchisee.name)))



def history(person: User, limit: int = 10) -> list[AuditLog]:
    """The latest changes to the account, newest first, with who made them."""
    return list(db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == person.id)
        .options(selectinload(AuditLog.actor)).order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)))
