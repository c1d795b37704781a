"""What a franchise owner's portal shows: their own branches' published results beside the
brand's average and distribution. One function feeds the portal home, the landing page and
the API; other branches reach it only as anonymous numbers (means, percentiles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from audit import access
from audit.comparison.queries import STEP_KEYS, campaign_moments
from audit.comparison.service import branch_comparison, brand_branch_summaries
from audit.errors import Forbidden, OutOfScope
from audit.extensions import db
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.disputes import Dispute
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.scoring import Moments, percentiles
from audit.targets.service import comparison_targets
from audit.vocabulary import ACTION_UNRESOLVED, COUNTED, DIMENSIONS

POINTS = (10, 25, 50, 75, 90)


def require_portal(user: User) -> None:
    """Managers, shoppers and admins have their own workspace: Forbidden."""
    if not access.can_use_portal(user):
        raise Forbidden


def campaigns(user: User) -> list[Campaign]:
    """The owner's campaigns with published visits, newest first (the campaign picker)."""
    return list(db.session.scalars(access.portal_campaigns_query(user)))


def position(value: float | None, cuts: dict[int, float | None]) -> dict[str, int | None] | None:
    """Where a branch mean sits in the brand's distribution: the percentiles just below and
    above it (None below P10 or above P90); None without a mean or a distribution."""
    if value is None or any(cuts.get(p) is None for p in POINTS):
        return None
    low = max((p for p in POINTS if value >= cuts[p]), default=None)
    high = min((p for p in POINTS if value < cuts[p]), default=None)
    return {"low": low, "high": high}


def _distribution(branch_summaries: list[dict[str, dict[str, Any]]], column: str
                  ) -> dict[int, float | None]:
    return percentiles((s[column]["mean"] for s in branch_summaries if column in s), POINTS)


def _numbers(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: summary.get(key) for key in ("n", "mean", "sd", "ci_low", "ci_high",
                                              "small_sample")}


def _branch_row(entry: dict[str, Any], data: dict[str, Any], cuts: dict[str, dict]
                ) -> dict[str, Any]:
    branch: Branch = entry["branch"]
    return {
        "id": branch.id, "code": branch.code, "name": branch.name, **_numbers(entry),
        "position": position(entry["mean"], cuts["overall"]),
        "dimensions": {d: {**_numbers(entry["dimensions"][d]),
                           "brand": data["brand_dimensions"][d],
                           "position": position(entry["dimensions"][d]["mean"], cuts[d])}
                       for d in DIMENSIONS},
        "steps": {s: {**_numbers(entry["steps"][s]), "brand": data["brand_steps"][s],
                      "position": position(entry["steps"][s]["mean"], cuts[f"step_{s}"])}
                  for s in STEP_KEYS},
    }


def summary(user: User, campaign_id: int | None = None) -> dict[str, Any] | None:
    """The portal home: per own branch overall, dimension and step means with n and 95 % CI,
    where each sits among the brand's branch means (P10-P90), the brand average, the gap to
    the brand's targets, open corrective actions and disputes. None before any publication."""
    require_portal(user)
    choices = campaigns(user)
    if campaign_id is None:
        if not choices:
            return None
        campaign_id = choices[0].id
    campaign = next((c for c in choices if c.id == campaign_id), None)
    if campaign is None:
        raise OutOfScope
    data = branch_comparison(user, campaign.id)
    spread = brand_branch_summaries(campaign.id, COUNTED)
    columns = ["overall", *DIMENSIONS, *(f"step_{s}" for s in STEP_KEYS)]
    cuts = {c: _distribution(spread, c) for c in columns}
    rows = [_branch_row(e, data, cuts) for e in data["branches"] if e["n"]]
    rows.sort(key=lambda r: r["code"])
    return {
        "campaign": {"id": campaign.id, "name": campaign.name, "starts_on": campaign.starts_on,
                     "ends_on": campaign.ends_on},
        "campaigns": [{"id": c.id, "name": c.name, "starts_on": c.starts_on} for c in choices],
        "branches": rows,
        "brand": {
            **_numbers(data["brand"]),
            "branches": sum(1 for s in spread if s["overall"]["n"]),
            "percentiles": {str(p): v for p, v in cuts["overall"].items()},
            "dimensions": {d: {"mean": data["brand_dimensions"][d],
                               "percentiles": {str(p): v for p, v in cuts[d].items()}}
                           for d in DIMENSIONS},
            "steps": {s: {"mean": data["brand_steps"][s],
                          "percentiles": {str(p): v for p, v in cuts[f"step_{s}"].items()}}
                      for s in STEP_KEYS},
        },
        "targets": comparison_targets(user, campaign.id),
        "open_actions": open_actions(user),
        "open_disputes": open_disputes(user),
    }


def open_actions(user: User) -> int:
    """Corrective actions of the owner's branches not yet done."""
    query = access.actions_query(user).where(CorrectiveAction.status.in_(ACTION_UNRESOLVED))
    return db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0


def open_disputes(user: User) -> list[dict[str, Any]]:
    """The owner's disputes awaiting the quality team, oldest first."""
    rows = db.session.scalars(
        access.disputes_query(user).where(Dispute.status == "open")
        .options(selectinload(Dispute.question), selectinload(Dispute.visit)
                 .selectinload(Visit.branch))
        .order_by(Dispute.opened_at, Dispute.id)).all()
    return [{"id": d.id, "visit_id": d.visit_id, "branch": d.visit.branch.name,
             "question": d.question.code, "question_text": d.question.text,
             "opened_at": d.opened_at} for d in rows]


def branch_page(user: User, branch_id: int, campaign_id: int | None = None) -> dict[str, Any]:
    """One own branch: its published visits, its mean over campaigns beside the brand's, and
    its dimensions beside the brand's in the chosen (default: latest) campaign."""
    require_portal(user)
    branch = access.get_in_scope(access.branches_query(user), Branch, branch_id)
    visits = db.session.scalars(
        access.visits_query(user).where(Visit.branch_id == branch.id)
        .options(selectinload(Visit.campaign))
        .order_by(Visit.visited_at.desc(), Visit.id.desc())).all()
    seen = [c for c in campaigns(user) if any(v.campaign_id == c.id for v in visits)]
    ids = [c.id for c in seen]
    mine = campaign_moments(ids, COUNTED, [branch.id]) if ids else {}
    brand = campaign_moments(ids, COUNTED) if ids else {}
    trend = [{"campaign": c.id, "name": c.name, "starts_on": c.starts_on,
              "branch": mine.get(c.id, Moments()).summary().to_dict()["mean"],
              "brand": brand.get(c.id, Moments()).summary().to_dict()["mean"]}
             for c in reversed(seen)]
    chosen = next((c for c in seen if c.id == campaign_id), seen[0] if seen else None)
    if campaign_id is not None and (chosen is None or chosen.id != campaign_id):
        raise OutOfScope
    current = None
    if chosen is not None:
        data = branch_comparison(user, chosen.id)
        entry = next((e for e in data["branches"] if e["branch"].id == branch.id), None)
        if entry is not None:
            current = {"campaign": chosen, "branch": entry,
                       "brand_dimensions": data["brand_dimensions"],
                       "brand_steps": data["brand_steps"], "brand": data["brand"]}
    return {"branch": branch, "visits": visits, "campaigns": seen, "trend": trend,
            "current": current}


def own_branches(user: User) -> list[Branch]:
    """The owner's branches, for the portal's list of links."""
    return list(db.session.scalars(access.branches_query(user).order_by(Branch.code)))

