"""Changes to campaigns: save (adding only, once visits exist), generate the visits, and
assign shoppers by hand or automatically. Every change is written to the audit log and
every status change goes through the visit lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from audit.campaigns import service
from audit.campaigns.assignment import OpenVisit, due_windows, may_take, plan_assignment
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.checklists import ChecklistVersion
from audit.models.orgs import Branch, Brand
from audit.models.visits import Visit
from audit.visits import events, lifecycle
from audit.vocabulary import IN_PERSON


class CampaignRefused(Exception):
    """The change would drop visits already generated; `problems` are (code, params)."""

    def __init__(self, problems: list[tuple[str, dict[str, Any]]]) -> None:
        super().__init__(problems)
        self.problems = problems


class AssignmentConflict(Exception):
    """A visit changed while the manager was assigning it."""


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name, "checklist_version_id": campaign.checklist_version_id,
        "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
        "visits_per_branch": campaign.visits_per_branch, "scenario": campaign.scenario,
        "allow_claims": campaign.allow_claims, "check_in": campaign.check_in,
        "check_in_radius_m": campaign.check_in_radius_m,
        "branch_ids": sorted(b.id for b in campaign.branches),
    }


def _check_additive(campaign: Campaign, version: ChecklistVersion, branch_ids: set[int],
                    visits_per_branch: int) -> None:
    """Once visits exist, a campaign may grow but never silently lose a visit."""
    existing = service.visit_counts_by_branch(campaign)
    if not existing:
        return
    problems: list[tuple[str, dict[str, Any]]] = []
    if version.id != campaign.checklist_version_id:
        problems.append(("version_locked", {}))
    dropped = sorted(b.code for b in campaign.branches
                     if b.id not in branch_ids and existing.get(b.id))
    if dropped:
        problems.append(("branches_have_visits", {"codes": ", ".join(dropped)}))
    most = max(existing.values())
    if visits_per_branch < most:
        problems.append(("fewer_visits", {"count": most}))
    if problems:
        raise CampaignRefused(problems)


def save_campaign(brand: Brand, campaign: Campaign | None, data: dict[str, Any],
                  actor: User) -> Campaign:
    """Create or edit a campaign; the channel follows the checklist version."""
    version: ChecklistVersion = data["version"]
    branches = list(db.session.scalars(select(Branch).where(
        Branch.brand_id == brand.id, Branch.id.in_(data["branch_ids"]))))
    if campaign is not None:
        _check_additive(campaign, version, {b.id for b in branches}, data["visits_per_branch"])
    if data["check_in"] and version.channel != IN_PERSON:
        raise CampaignRefused([("check_in_in_person", {})])
    old = None if campaign is None else _snapshot(campaign)
    if campaign is None:
        campaign = Campaign(brand=brand)
        db.session.add(campaign)
    campaign.checklist_version = version
    campaign.channel = version.channel
    campaign.branches = branches
    if data["check_in"] and not campaign.check_in:
        campaign.check_in_since = utcnow()  # visits sent before it are not asked afterwards
    for name in ("name", "starts_on", "ends_on", "visits_per_branch", "scenario",
                 "allow_claims", "check_in", "check_in_radius_m"):
        setattr(campaign, name, data[name])
    db.session.flush()
    new = _snapshot(campaign)
    if new != old:
        record(actor, "campaign", campaign.id, "create" if old is None else "update",
               old=old, new=new)
    db.session.commit()
    return campaign


def missing_visits(campaign: Campaign) -> int:
    """How many visits `generate_visits` would create now."""
    existing = service.visit_counts_by_branch(campaign)
    return sum(max(0, campaign.visits_per_branch - existing.get(b.id, 0))
               for b in campaign.branches)


def generate_visits(campaign: Campaign, actor: User) -> int:
    """Create the missing open visits: branch x visits per branch, each in its share of the
    period (`due_windows`). Running it again creates nothing more."""
    existing = service.visit_counts_by_branch(campaign)
    windows = due_windows(campaign.starts_on, campaign.ends_on, campaign.visits_per_branch)
    created = 0
    for branch in campaign.branches:
        for slot in range(existing.get(branch.id, 0), campaign.visits_per_branch):
            due_from, due_until = windows[slot]
            db.session.add(Visit(
                campaign=campaign, branch=branch, shopper=None, status="open",
                checklist_version_id=campaign.checklist_version_id, channel=campaign.channel,
                due_from=due_from, due_until=due_until))
            created += 1
    if created:
        record(actor, "campaign", campaign.id, "generate_visits", new={"created": created})
    db.session.commit()
    return created


@dataclass
class AssignResult:
    assigned: list[Visit] = field(default_factory=list)
    not_open: list[Visit] = field(default_factory=list)
    twice: list[Visit] = field(default_factory=list)


def _commit(announce: Sequence[Visit] = (), actor: User | None = None) -> None:
    """Commit; the shoppers of `announce` hear of their new visits in the same transaction,
    after a flush that turns a lost race into AssignmentConflict first."""
    try:
        if announce:
            db.session.flush()
            for visit in announce:
                events.announce_assigned(visit, actor)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise AssignmentConflict from None


def _campaign_visits(campaign: Campaign, visit_ids: list[int]) -> list[Visit]:
    return list(db.session.scalars(select(Visit).where(
        Visit.campaign_id == campaign.id, Visit.id.in_(visit_ids)).order_by(Visit.id)))


def assign(campaign: Campaign, visit_ids: list[int], shopper: User, actor: User) -> AssignResult:
    """Give open visits to one shopper; visits not open, or at a branch whose previous visit
    this shopper made, are left as they are and reported."""
    visits = _campaign_visits(campaign, visit_ids)
    last = service.last_shoppers(sorted({v.branch_id for v in visits}))
    result = AssignResult()
    for visit in visits:
        if visit.status != "open":
            result.not_open.append(visit)
        elif not may_take(shopper.id, visit.branch_id, last):
            result.twice.append(visit)
        else:
            visit.shopper = shopper
            lifecycle.move(visit, "assigned", actor, reason="assigned by hand")
            last[visit.branch_id] = shopper.id
            result.assigned.append(visit)
    _commit(result.assigned, actor)
    return result


def unassign(campaign: Campaign, visit_ids: list[int], actor: User) -> int:
    """Put assigned (not yet started) visits back to open; returns how many moved."""
    moved = 0
    for visit in _campaign_visits(campaign, visit_ids):
        if lifecycle.can_move(visit, "open"):
            lifecycle.move(visit, "open", actor, reason="unassigned")
            moved += 1
    _commit()
    return moved


def auto_assign(campaign: Campaign, shoppers: list[User], actor: User) -> tuple[int, list[Visit]]:
    """Assign every open visit of the campaign with `plan_assignment`; returns how many were
    assigned and the visits left open (nobody eligible)."""
    visits = list(db.session.scalars(select(Visit).where(
        Visit.campaign_id == campaign.id, Visit.status == "open")))
    by_id = {s.id: s for s in shoppers}
    plan = plan_assignment(
        [OpenVisit(v.id, v.branch_id, v.due_from) for v in visits],
        service.shopper_loads(sorted(by_id)),
        service.last_shoppers(sorted({v.branch_id for v in visits})))
    for visit in visits:
        shopper_id = plan.assigned.get(visit.id)
        if shopper_id is not None:
            visit.shopper = by_id[shopper_id]
            lifecycle.move(visit, "assigned", actor, reason="assigned automatically")
    record(actor, "campaign", campaign.id, "auto_assign",
           new={"assigned": len(plan.assigned), "left_open": len(plan.unassigned)})
    _commit([v for v in visits if v.id in plan.assigned], actor)
    left = set(plan.unassigned)
    return len(plan.assigned), [v for v in visits if v.id in left]
