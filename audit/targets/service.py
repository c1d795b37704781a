"""Targets with their progress: the one function the targets page, the comparison page,
the API and (later) the PDF reports read. Queries here; the arithmetic is in `progress`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign, campaign_branches
from audit.models.orgs import Branch, Brand
from audit.models.targets import METRICS, Target
from audit.models.visits import Visit
from audit.targets.progress import CampaignRef, Goal, Progress, choose_campaign, measure
from audit.vocabulary import COUNTED

COLUMNS = {metric: getattr(Visit, f"score_{metric}") for metric in METRICS}


@dataclass
class TargetProgress:
    target: Target
    campaign: Campaign | None
    progress: Progress


def _scope_ids(target: Target, branches: list[Any]) -> frozenset[int]:
    """Branch ids a target covers (brand and region: the active branches)."""
    if target.scope == "branch":
        return frozenset({target.branch_id})
    return frozenset(b.id for b in branches if b.brand_id == target.brand_id and b.active
                     and (target.scope == "brand" or b.region_id == target.region_id))


def _goal(target: Target, branch_ids: frozenset[int]) -> Goal:
    return Goal(metric=target.metric, value=target.value, due_on=target.due_on,
                branch_ids=branch_ids, every_branch=target.every_branch,
                per_branch=target.scope != "branch")


def _branches(brand_ids: set[int]) -> list[Any]:
    return db.session.execute(
        select(Branch.id, Branch.brand_id, Branch.region_id, Branch.active)
        .where(Branch.brand_id.in_(brand_ids))).all()


def _campaigns(brand_ids: set[int]) -> dict[int, tuple[Campaign, CampaignRef]]:
    campaigns = db.session.scalars(select(Campaign).where(Campaign.brand_id.in_(brand_ids))).all()
    members: dict[int, set[int]] = defaultdict(set)
    for campaign_id, branch_id in db.session.execute(
            select(campaign_branches.c.campaign_id, campaign_branches.c.branch_id)
            .where(campaign_branches.c.campaign_id.in_([c.id for c in campaigns]))):
        members[campaign_id].add(branch_id)
    return {c.id: (c, CampaignRef(c.id, c.starts_on, frozenset(members[c.id])))
            for c in campaigns}


def _scored(campaign_ids: list[int]) -> dict[str, dict[int, set[int]]]:
    """Per metric: campaign id -> branches with a published score for it (one query)."""
    rows = db.session.execute(
        select(Visit.campaign_id, Visit.branch_id,
               *[func.count(column) for column in COLUMNS.values()])
        .where(Visit.campaign_id.in_(campaign_ids), Visit.is_published)
        .group_by(Visit.campaign_id, Visit.branch_id)).all()
    scored: dict[str, dict[int, set[int]]] = {m: defaultdict(set) for m in COLUMNS}
    for row in rows:
        for index, metric in enumerate(COLUMNS):
            if row[2 + index]:
                scored[metric][row[0]].add(row[1])
    return scored


def _values(campaign_ids: set[int], statuses: tuple[str, ...] = COUNTED,
            branch_ids: set[int] | None = None) -> dict[int, dict[str, dict[int, list]]]:
    """campaign id -> metric -> branch id -> the visits' stored scores."""
    query = select(Visit.campaign_id, Visit.branch_id, *COLUMNS.values()).where(
        Visit.campaign_id.in_(campaign_ids), Visit.status.in_(statuses))
    if branch_ids is not None:
        query = query.where(Visit.branch_id.in_(branch_ids))
    values: dict[int, dict[str, dict[int, list]]] = defaultdict(
        lambda: {m: defaultdict(list) for m in COLUMNS})
    for row in db.session.execute(query):
        for index, metric in enumerate(COLUMNS):
            values[row[0]][metric][row[1]].append(row[2 + index])
    return values


def targets_progress(user: User, brand: Brand, today: date | None = None
                     ) -> list[TargetProgress]:
    """Every target of the brand the user manages, due date first, with its progress (a
    fixed number of queries, whatever the number of targets)."""
    today = today or date.today()
    targets = db.session.scalars(
        access.targets_query(user).where(Target.brand_id == brand.id)
        .options(selectinload(Target.region), selectinload(Target.branch))
        .order_by(Target.due_on, Target.id)).all()
    if not targets:
        return []
    brand_ids = {t.brand_id for t in targets}
    branches = _branches(brand_ids)
    campaigns = _campaigns(brand_ids)
    scored = _scored(list(campaigns))
    chosen = []
    for target in targets:
        goal = _goal(target, _scope_ids(target, branches))
        refs = [ref for c, ref in campaigns.values() if c.brand_id == target.brand_id]
        chosen.append((target, goal, choose_campaign(goal, refs, scored[target.metric])))
    values = _values({ref.id for _t, _g, ref in chosen if ref})
    return [TargetProgress(target, campaigns[ref.id][0] if ref else None,
                           measure(goal, ref, values[ref.id][target.metric] if ref else {},
                                   today))
            for target, goal, ref in chosen]


def comparison_targets(user: User, campaign_id: int, *, region_id: int | None = None,
                       franchisee_id: int | None = None,
                       include_submitted: bool = False) -> list[dict[str, Any]]:
    """The brand's targets that apply to the branches a comparison shows and were still
    running when the campaign started, each measured on those branches in that campaign:
    mean, n, gap, branches meeting it."""
    campaign = access.get_in_scope(access.campaigns_query(user), Campaign, campaign_id)
    query = access.branches_query(user).where(
        Branch.id.in_(select(campaign_branches.c.branch_id)
                      .where(campaign_branches.c.campaign_id == campaign.id)))
    if region_id is not None:
        query = query.where(Branch.region_id == region_id)
    if franchisee_id is not None:
        query = query.where(Branch.franchisee_id == franchisee_id)
    shown = db.session.scalars(query).all()
    targets = db.session.scalars(
        select(Target).where(Target.brand_id == campaign.brand_id,
                             Target.due_on >= campaign.starts_on)
        .options(selectinload(Target.region), selectinload(Target.branch))
        .order_by(Target.due_on, Target.id)).all()
    if not shown or not targets:
        return []
    shown_ids = frozenset(b.id for b in shown)
    statuses = access.counted_statuses(user, include_submitted)
    values = _values({campaign.id}, statuses, set(shown_ids))[campaign.id]
    ref = CampaignRef(campaign.id, campaign.starts_on, shown_ids)
    rows = []
    for target in targets:
        ids = _scope_ids(target, shown) & shown_ids
        if not ids:
            continue
        result = measure(_goal(target, ids), ref, values[target.metric], date.today())
        rows.append({
            "id": target.id, "label": target.label, "scope": target.scope,
            "region_id": target.region_id, "branch_id": target.branch_id,
            "metric": target.metric, "target": target.value, "due_on": target.due_on,
            "every_branch": target.every_branch, "n": result.n, "current": result.current,
            "gap": result.gap, "branches_meeting": result.branches_meeting,
            "branches_measured": result.branches_measured,
            "branches_total": result.branches_total,
            "scope_name": _scope_name(target),
        })
    return rows


def _scope_name(target: Target) -> str | None:
    if target.scope == "region":
        return target.region.name
    if target.scope == "branch":
        return target.branch.name
    return None
