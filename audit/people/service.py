"""Queries of the People pages: the filtered, paginated list (a platform may have thousands
of shoppers) and the brands and franchisees a form may offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.auth import ROLES, User
from audit.models.orgs import Brand, Franchisee
from audit.textfold import fold
from audit.textsort import by_name, sort_key

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
    # Sorted in Python: no database orders Vietnamese names as a reader does (SQLite knows
    # only code points, PostgreSQL only with ICU); the ids and names of even thousands of
    # people are a small read, and their sort keys are cached.
    rows = db.session.execute(query.with_only_columns(User.id, User.name,
                                                      maintain_column_froms=True)).all()
    ordered = [row.id for row in sorted(rows, key=lambda row: (sort_key(row.name), row.id))]
    total = len(ordered)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    shown = {person_id: k for k, person_id in
             enumerate(ordered[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])}
    people = sorted(db.session.scalars(
        query.where(User.id.in_(shown))
        .options(selectinload(User.brand),
                 selectinload(User.franchisee).selectinload(Franchisee.brand))),
        key=lambda person: shown[person.id])
    return PeoplePage(people, total, page, pages, (page - 1) * PAGE_SIZE + 1, now)


def brands(user: User) -> list[Brand]:
    """Brands a manager account may belong to (an admin: all)."""
    return by_name(db.session.scalars(access.brands_query(user)))


def franchisees(user: User) -> list[Franchisee]:
    """Franchisees an owner account may belong to: the manager's brand's, an admin's all."""
    return sorted(db.session.scalars(
        access.franchisees_query(user).options(selectinload(Franchisee.brand))),
        key=lambda f: (sort_key(f.brand.name), sort_key(f.name)))



def history(person: User, limit: int = 10) -> list[AuditLog]:
    """The latest changes to the account, newest first, with who made them."""
    return list(db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == person.id)
        .options(selectinload(AuditLog.actor)).order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)))
