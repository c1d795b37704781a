"""Branch comparison for a campaign: one function feeds the API, the pages and the reports."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import abort
from sqlalchemy import select

from audit import access
from audit.auth.models import User
from audit.campaigns.models import Campaign
from audit.extensions import db
from audit.orgs.models import Branch
from audit.scoring import aggregate, kpi_rollup, rank
from audit.visits.models import DIMENSIONS, STEPS, Visit

STEP_KEYS = tuple(str(s) for s in STEPS)
_COLUMNS = (
    [("overall", Visit.score_overall)]
    + [(d, getattr(Visit, f"score_{d}")) for d in DIMENSIONS]
    + [(f"step_{s}", getattr(Visit, f"score_step_{s}")) for s in STEPS]
)


def counted_statuses(user: User, include_submitted: bool) -> tuple[str, ...]:
    """Published visits count everywhere; managers may add submitted ones, labelled."""
    if include_submitted and access.can_see_shopper(user):
        return ("approved", "submitted")
    return ("approved",)


def branch_comparison(
    user: User,
    campaign_id: int,
    *,
    region_id: int | None = None,
    franchisee_id: int | None = None,
    include_submitted: bool = False,
) -> dict[str, Any]:
    """Per branch in scope: n, mean, sd, 95 % CI, small-sample flag and rank, overall and
    per dimension and step; the brand's aggregate; the KPI roll-up of the scope."""
    if not access.can_compare(user):
        abort(403)
    campaign = access.get_or_404(access.campaigns_query(user), Campaign, campaign_id)
    statuses = counted_statuses(user, include_submitted)

    branch_query = access.branches_query(user).where(
        Branch.id.in_([b.id for b in campaign.branches])
    )
    if region_id is not None:
        branch_query = branch_query.where(Branch.region_id == region_id)
    if franchisee_id is not None:
        branch_query = branch_query.where(Branch.franchisee_id == franchisee_id)
    branches = db.session.scalars(branch_query.order_by(Branch.code)).all()
    branch_ids = [b.id for b in branches]

    rows = db.session.execute(
        select(Visit.branch_id, Visit.scores, *[c for _, c in _COLUMNS]).where(
            Visit.campaign_id == campaign.id,
            Visit.status.in_(statuses),
        )
    ).all()
    per_branch: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        per_branch[row[0]].append(row)

    def column_values(visit_rows: list[Any], index: int) -> list[float | None]:
        return [r[2 + index] for r in visit_rows]

    results = []
    for branch in branches:
        mine = per_branch.get(branch.id, [])
        entry = {"branch": branch, **aggregate(column_values(mine, 0)).to_dict()}
        entry["dimensions"] = {
            d: aggregate(column_values(mine, 1 + i)).to_dict() for i, d in enumerate(DIMENSIONS)
        }
        entry["steps"] = {
            s: aggregate(column_values(mine, 6 + i)).to_dict() for i, s in enumerate(STEP_KEYS)
        }
        results.append(entry)
    _rank_in_place(results)
    results.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["branch"].code))

    scoped_rows = [r for b in branch_ids for r in per_branch.get(b, [])]
    return {
        "campaign": campaign.id,
        "include_submitted": "submitted" in statuses,
        "branches": results,
        "brand": aggregate(column_values(list(rows), 0)).to_dict(),
        "brand_dimensions": {d: aggregate(column_values(list(rows), 1 + i)).mean
                             for i, d in enumerate(DIMENSIONS)},
        "brand_steps": {s: aggregate(column_values(list(rows), 6 + i)).mean
                        for i, s in enumerate(STEP_KEYS)},
        "kpis": kpi_rollup((r[1] or {}).get("kpis", {}) for r in scoped_rows),
    }


def _rank_in_place(results: list[dict[str, Any]]) -> None:
    """Rank branches overall and per dimension and step (ties share a rank)."""
    overall = rank({i: r["mean"] for i, r in enumerate(results)})
    for i, r in enumerate(results):
        r["rank"] = overall[i]
    for group, keys in (("dimensions", DIMENSIONS), ("steps", STEP_KEYS)):
        for key in keys:
            ranks = rank({i: r[group][key]["mean"] for i, r in enumerate(results)})
            for i, r in enumerate(results):
                r[group][key]["rank"] = ranks[i]
