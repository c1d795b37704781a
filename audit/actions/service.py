"""Reading corrective actions: the filtered, paginated list with counts, and one action's
page with the answer it came from."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.ids import id_or_none
from audit.models.actions import SEVERITIES, CorrectiveAction
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.orgs import Branch
from audit.models.visits import Answer
from audit.textsort import by_name
from audit.vocabulary import ACTION_STATUSES, ACTION_UNRESOLVED

PAGE_SIZE = 50
ACTIVE = ("open", "in_progress", "done")  # the default view: everything not yet verified


@dataclass(frozen=True)
class Filters:
    """What the list shows; `status` is a status, "active" (not verified) or "all"."""

    status: str = "active"
    severity: str = ""
    region_id: int | None = None
    branch_id: int | None = None
    overdue: bool = False
    page: int = 1

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for a link to this view with some filters changed."""
        values = {"status": self.status, "severity": self.severity, "region": self.region_id,
                  "branch": self.branch_id, "overdue": "1" if self.overdue else None,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def parse_filters(args: Any) -> Filters:
    """Filters from a query string; unknown values fall back to the defaults."""
    status = args.get("status", "active")
    severity = args.get("severity", "")
    return Filters(
        status=status if status in (*ACTION_STATUSES, "active", "all") else "active",
        severity=severity if severity in SEVERITIES else "",
        region_id=id_or_none(args.get("region")), branch_id=id_or_none(args.get("branch")),
        overdue=args.get("overdue") == "1", page=max(1, id_or_none(args.get("page")) or 1),
    )


def _filtered(user: User, filters: Filters, today: date, *, with_status: bool):
    query = access.actions_query(user)
    if filters.severity:
        query = query.where(CorrectiveAction.severity == filters.severity)
    if filters.branch_id:
        query = query.where(CorrectiveAction.branch_id == filters.branch_id)
    if filters.region_id:
        query = query.where(CorrectiveAction.branch_id.in_(
            select(Branch.id).where(Branch.region_id == filters.region_id)))
    if filters.overdue:
        query = query.where(CorrectiveAction.status.in_(ACTION_UNRESOLVED),
                            CorrectiveAction.due_on < today)
    if with_status and filters.status == "active":
        query = query.where(CorrectiveAction.status.in_(ACTIVE))
    elif with_status and filters.status in ACTION_STATUSES:
        query = query.where(CorrectiveAction.status == filters.status)
    return query


def action_list(user: User, filters: Filters, today: date) -> dict[str, Any]:
    """One page of actions sorted by due date, the total, and counts per status (under the
    other filters, so the counts say what each status link would show)."""
    query = _filtered(user, filters, today, with_status=True)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(filters.page, pages)
    rows = db.session.scalars(
        query.order_by(CorrectiveAction.due_on, CorrectiveAction.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        .options(selectinload(CorrectiveAction.branch).selectinload(Branch.region),
                 selectinload(CorrectiveAction.brand), selectinload(CorrectiveAction.question),
                 selectinload(CorrectiveAction.assignee))
    ).all()
    by_status = _filtered(user, filters, today, with_status=False).subquery()
    counts = dict.fromkeys(ACTION_STATUSES, 0)
    for status, number in db.session.execute(
            select(by_status.c.status, func.count()).group_by(by_status.c.status)):
        counts[status] = number
    overdue = db.session.scalar(select(func.count()).select_from(
        _filtered(user, Filters(status="all"), today, with_status=False)
        .where(CorrectiveAction.status.in_(ACTION_UNRESOLVED), CorrectiveAction.due_on < today)
        .subquery())) or 0
    return {"rows": rows, "total": total, "page": page, "pages": pages, "counts": counts,
            "overdue": overdue}


def scope_choices(user: User) -> dict[str, list]:
    """Branches and regions the user may filter by (an owner: their own branches)."""
    branches = by_name(db.session.scalars(
        access.branches_query(user).options(selectinload(Branch.region))).all())
    regions = by_name({b.region for b in branches})
    return {"branches": branches, "regions": regions}


def assignee_choices(branch: Branch) -> list[User]:
    """Who an action can be given to: the brand's quality managers and the owners of the
    branch's franchisee."""
    return by_name(db.session.scalars(access.action_assignees_query(branch)))


def source_of(action: CorrectiveAction) -> dict[str, Any] | None:
    """The failed answer the action came from: question, answer, points, the visit's
    photos (those of the question first) and the accepted dispute that changed the answer
    since, if any (the card then shows the answer as it now stands, and why)."""
    visit = action.visit
    if visit is None:
        return None
    answer = None
    if action.question_id is not None:
        answer = db.session.scalar(select(Answer).where(
            Answer.visit_id == visit.id, Answer.question_id == action.question_id))
    row = visit.score_record.question(action.question_code)
    photos = sorted(visit.photos, key=lambda p: (p.question_id != action.question_id, p.id))
    dispute = None
    if action.question_id is not None:
        dispute = db.session.scalar(select(Dispute).where(
            Dispute.visit_id == visit.id, Dispute.question_id == action.question_id,
            Dispute.status == "accepted").order_by(Dispute.resolved_at.desc()).limit(1))
    return {"visit": visit, "question": action.question, "answer": answer, "row": row,
            "photos": photos, "dispute": dispute}
