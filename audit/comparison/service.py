"""Branch comparison for a campaign: one function feeds the API, the pages and the reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from audit import access
from audit.comparison.breakdown import branch_parts, scope_kpis, weakest_questions
from audit.comparison.cache import FingerprintCache
from audit.comparison.queries import (
    STEP_KEYS,
    BranchMoments,
    branch_moments,
    campaign_fingerprint,
    campaign_moments,
    total,
)
from audit.errors import Forbidden
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign, campaign_branches
from audit.models.orgs import Branch
from audit.scoring import Moments, rank
from audit.vocabulary import COUNTED, DIMENSIONS, SUBMITTED

__all__ = ["STEP_KEYS", "branch_comparison"]
numbers_cache = FingerprintCache(256)
scope_cache = FingerprintCache(256)
RANK_DIGITS = 9  # ranks use unrounded means; this only absorbs the database's summation order


def branch_comparison(
    user: User,
    campaign_id: int,
    *,
    region_id: int | None = None,
    franchisee_id: int | None = None,
    include_submitted: bool = False,
    trend_campaign_ids: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Per branch in scope: n, mean, sd, 95 % CI, small-sample flag and rank, overall and
    per dimension and step; the brand's aggregate; the scope's KPIs and weakest questions;
    the trend of the scope and the brand over campaigns."""
    if not access.can_compare(user):
        raise Forbidden
    campaign = access.get_in_scope(access.campaigns_query(user), Campaign, campaign_id)
    statuses = access.counted_statuses(user, include_submitted)
    scope = _scope_query(user, region_id, franchisee_id)
    in_campaign = select(campaign_branches.c.branch_id).where(
        campaign_branches.c.campaign_id == campaign.id)
    branches = db.session.scalars(
        scope.where(Branch.id.in_(in_campaign)).order_by(Branch.code)).all()

    fingerprint, moments, summaries = _campaign_numbers(campaign.id, statuses)
    results = [_branch_entry(branch, summaries.get(branch.id)) for branch in branches]
    _rank_in_place(results)
    results.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["branch"].code))

    everything = list(moments.values())
    in_scope = [moments[b.id] for b in branches if b.id in moments]
    kpis, weakest = _scope_breakdown(campaign, statuses, in_scope, fingerprint)
    result = {
        "campaign": campaign.id,
        "include_submitted": SUBMITTED in statuses,
        "branches": results,
        "brand": total(m.columns["overall"] for m in everything).summary().to_dict(),
        "brand_dimensions": {d: total(m.columns[d] for m in everything).mean
                             for d in DIMENSIONS},
        "brand_steps": {s: total(m.columns[f"step_{s}"] for m in everything).mean
                        for s in STEP_KEYS},
        "scope": total(m.columns["overall"] for m in in_scope).summary().to_dict(),
        "scope_dimensions": {d: total(m.columns[d] for m in in_scope).mean
                             for d in DIMENSIONS},
        "scope_steps": {s: total(m.columns[f"step_{s}"] for m in in_scope).mean
                        for s in STEP_KEYS},
        "kpis": kpis,
        "weakest_questions": weakest,
    }
    whole_brand = access.can_see_shopper(user) and region_id is None and franchisee_id is None
    result["trend"] = _trend(user, campaign, statuses, scope, whole_brand, result,
                             trend_campaign_ids)
    return result


def _scope_query(user: User, region_id: int | None, franchisee_id: int | None):
    """The branches the user may see, narrowed to a region or a franchisee."""
    query = access.branches_query(user)
    if region_id is not None:
        query = query.where(Branch.region_id == region_id)
    if franchisee_id is not None:
        query = query.where(Branch.franchisee_id == franchisee_id)
    return query


def _campaign_numbers(campaign_id: int, statuses: Sequence[str]):
    """Moments and summaries per branch of the campaign, summed in SQL and kept while the
    campaign's fingerprint is unchanged."""
    fingerprint = campaign_fingerprint(campaign_id, statuses)
    key = (campaign_id, tuple(sorted(statuses)))
    cached = numbers_cache.get(key, fingerprint)
    if cached is None:
        moments = {m.branch_id: m for m in branch_moments([campaign_id], statuses)}
        cached = (moments, {b: _summaries(m) for b, m in moments.items()})
        numbers_cache.put(key, fingerprint, cached)
    return (fingerprint, *cached)


def _scope_breakdown(campaign: Campaign, statuses: Sequence[str],
                     in_scope: list[BranchMoments], fingerprint: tuple[Any, ...]):
    """The scope's KPI roll-up and weakest questions, from the branches' kept sums (and
    kept themselves while the campaign's fingerprint is unchanged)."""
    key = (campaign.id, tuple(sorted(statuses)), tuple(sorted(m.branch_id for m in in_scope)))
    cached = scope_cache.get(key, fingerprint)
    if cached is None:
        parts = branch_parts(in_scope, statuses,
                             {m.branch_id: _fingerprint(m) for m in in_scope})
        cached = (scope_kpis(parts), weakest_questions(parts, [campaign.checklist_version_id]))
        scope_cache.put(key, fingerprint, cached)
    kpis, weakest = cached
    return dict(kpis), [dict(q) for q in weakest]


def _summaries(moments: BranchMoments) -> dict[str, dict[str, Any]]:
    return {name: m.summary().to_dict() for name, m in moments.columns.items()}


def _branch_entry(branch: Branch, summaries: dict[str, dict[str, Any]] | None
                  ) -> dict[str, Any]:
    """A fresh entry (ranks are written into it) from the branch's cached summaries."""
    summaries = summaries or {}

    def summary(name: str) -> dict[str, Any]:
        found = summaries.get(name)
        return dict(found) if found else Moments().summary().to_dict()

    entry = {"branch": branch, **summary("overall")}
    entry["dimensions"] = {d: summary(d) for d in DIMENSIONS}
    entry["steps"] = {s: summary(f"step_{s}") for s in STEP_KEYS}
    return entry


def _fingerprint(moments: BranchMoments) -> tuple[Any, ...]:
    """What must be unchanged for a branch's cached breakdown to be reused."""
    return (moments.fingerprint,
            tuple((m.n, m.mean, m.m2) for m in moments.columns.values()))


def _trend(user: User, campaign: Campaign, statuses: Sequence[str], scope, whole_brand: bool,
           current: dict[str, Any], campaign_ids: Sequence[int] | None) -> list[dict[str, Any]]:
    """Mean score of the branches in scope and of the brand, campaign by campaign (the
    selected campaign's points are the ones already computed)."""
    query = access.campaigns_query(user).where(Campaign.brand_id == campaign.brand_id)
    if campaign_ids:
        query = query.where(Campaign.id.in_([*campaign_ids]))
    campaigns = db.session.scalars(query.order_by(Campaign.starts_on, Campaign.id)).all()
    others = [c.id for c in campaigns if c.id != campaign.id]
    brand = campaign_moments(others, statuses) if others else {}
    in_scope = brand
    if others and not whole_brand:
        in_scope = campaign_moments(others, statuses, scope.with_only_columns(Branch.id))
    points = []
    for c in campaigns:
        if c.id == campaign.id:
            scope_agg, brand_agg = current["scope"], current["brand"]
        else:
            scope_agg = in_scope.get(c.id, Moments()).summary().to_dict()
            brand_agg = brand.get(c.id, Moments()).summary().to_dict()
        points.append({"campaign": c.id, "name": c.name, "starts_on": c.starts_on,
                       "scope": scope_agg, "brand": brand_agg})
    return points


def _rank_in_place(results: list[dict[str, Any]]) -> None:
    """Rank branches overall and per dimension and step (ties share a rank)."""
    overall = rank({i: None if r["mean"] is None else round(r["mean"], RANK_DIGITS)
                    for i, r in enumerate(results)})
    for i, r in enumerate(results):
        r["rank"] = overall[i]
    for group, keys in (("dimensions", DIMENSIONS), ("steps", STEP_KEYS)):
        for key in keys:
            means = [r[group][key]["mean"] for r in results]
            ranks = rank({i: None if m is None else round(m, RANK_DIGITS)
                          for i, m in enumerate(means)})
            for i, r in enumerate(results):
                r[group][key]["rank"] = ranks[i]


def brand_branch_summaries(campaign_id: int, statuses: Sequence[str] = COUNTED
                           ) -> list[dict[str, dict[str, Any]]]:
    """Every scored branch's summaries (overall, dimensions, step_N) in a campaign, without
    saying which branch: the brand's distribution an owner may see. Check access first."""
    _fingerprint_, _moments, summaries = _campaign_numbers(campaign_id, statuses)
    return [summaries[branch_id] for branch_id in sorted(summaries)]
