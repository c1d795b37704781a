"""Reading the library: a page of reports in the user's scope, their parameters in words,
and the scope checks a request passes before a job is queued."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from audit import access
from audit.core.clock import local_day
from audit.extensions import db
from audit.i18n import localized
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Franchisee, Region
from audit.models.reports import Report
from audit.models.visits import Visit

PAGE_SIZE = 25


@dataclass
class Page:
    rows: list[Report]
    described: dict[int, str]
    page: int
    pages: int
    total: int

    @property
    def pending(self) -> bool:
        return any(r.is_pending for r in self.rows)


def library(user: User, page: int, locale: str) -> Page:
    """The user's reports, newest first, PAGE_SIZE a page."""
    query = access.reports_query(user)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = list(db.session.scalars(query.order_by(Report.created_at.desc(), Report.id.desc())
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return Page(rows, describe(rows, user, locale), page, pages, total)


def _names(model: type, ids: set[int], column: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def describe(reports: list[Report], viewer: User, locale: str) -> dict[int, str]:
    """Each report's parameters in words (campaign, scope, visit's branch and date), with a
    few queries for the whole page. An owner never reads another franchisee's name."""
    params = [r.params for r in reports]
    campaigns = _names(Campaign, {p["campaign"] for p in params if p.get("campaign")},
                       Campaign.name)
    regions = _names(Region, {p["region"] for p in params if p.get("region")}, Region.name)
    franchisees = _names(Franchisee, {p["franchisee"] for p in params if p.get("franchisee")},
                         Franchisee.name)
    visit_ids = {p["visit"] for p in params if p.get("visit")}
    visits = {row.id: row for row in db.session.execute(
        select(Visit.id, Branch.name, Branch.timezone, Visit.visited_at, Visit.due_until)
        .join(Branch, Branch.id == Visit.branch_id).where(Visit.id.in_(visit_ids)))
    } if visit_ids else {}
    owner = access.scoped_to_own_franchisee(viewer)
    out: dict[int, str] = {}
    for report in reports:
        p = report.params
        parts: list[str] = []
        if p.get("campaign"):
            parts.append(localized(campaigns.get(p["campaign"]), locale) or "—")
            if p.get("franchisee"):
                hidden = owner and p["franchisee"] != viewer.franchisee_id
                parts.append(_("Franchisee: %(name)s",
                               name="—" if hidden else franchisees.get(p["franchisee"], "—")))
            elif p.get("region"):
                parts.append(_("Region: %(name)s", name=regions.get(p["region"], "—")))
            else:
                parts.append(_("Whole brand"))
        if p.get("visit"):
            row = visits.get(p["visit"])
            if row is None:
                parts.append(_("Visit %(id)s", id=p["visit"]))
            else:
                day = local_day(row.visited_at, row.timezone) or row.due_until
                parts.append(f"{row.name}, {format_date(day, 'medium')}")
        out[report.id] = " · ".join(parts)
    return out


def check_scope(user: User, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Refuse ids outside the user's scope before queuing (OutOfScope), and keep an owner's
    report to their own franchisee whatever was asked."""
    if kind == "visit":
        access.visit_for(user, params["visit"])
    elif kind == "comparison":
        access.get_in_scope(access.campaigns_query(user), Campaign, params["campaign"])
        if access.scoped_to_own_franchisee(user):
            return {**params, "region": None, "franchisee": user.franchisee_id}
        if params.get("region"):
            access.get_in_scope(access.regions_query(user), Region, params["region"])
        if params.get("franchisee"):
            access.get_in_scope(access.franchisees_query(user), Franchisee,
                                params["franchisee"])
    return params
