"""Progress towards a target, computed from plain data (no Flask, no database).

The current value is the mean of the published visits' stored scores for the target's
metric, in its scope, over one campaign: the most recent campaign that started on or
before the due date and has a score for that metric in scope. Gap = current − target
(DESIGN.md §4). Met when the mean reaches the target (for an "every branch" target: when
every branch of the scope in that campaign reaches it on its own); otherwise not yet, or
missed once the due date has passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from audit.scoring import Aggregate, aggregate, gap

Values = Mapping[int, list[float | None]]  # branch id -> the visits' scores for the metric


@dataclass(frozen=True)
class Goal:
    """What a target asks, with its scope resolved to branch ids."""

    metric: str
    value: float
    due_on: date
    branch_ids: frozenset[int]
    every_branch: bool = False
    per_branch: bool = True  # count branches meeting it (brand and region targets)


@dataclass(frozen=True)
class CampaignRef:
    id: int
    starts_on: date
    branch_ids: frozenset[int]


@dataclass(frozen=True)
class Progress:
    """Where a target stands; `campaign_id` is None when nothing was measured yet."""

    campaign_id: int | None
    summary: Aggregate
    gap: float | None
    branches_meeting: int | None
    branches_measured: int | None
    branches_total: int | None
    status: str  # met | not_yet | missed

    @property
    def current(self) -> float | None:
        return self.summary.mean

    @property
    def n(self) -> int:
        return self.summary.n


def choose_campaign(goal: Goal, campaigns: Iterable[CampaignRef],
                    scored: Mapping[int, set[int]]) -> CampaignRef | None:
    """The latest campaign started by the due date with a published score in scope;
    `scored` maps a campaign id to the branch ids with a score for the goal's metric."""
    candidates = [c for c in campaigns if c.starts_on <= goal.due_on
                  and scored.get(c.id, set()) & goal.branch_ids]
    return max(candidates, key=lambda c: (c.starts_on, c.id), default=None)


def measure(goal: Goal, campaign: CampaignRef | None, values: Values, today: date) -> Progress:
    """Mean, n and gap over the campaign's visits in scope; branches meeting the target."""
    in_scope = goal.branch_ids & campaign.branch_ids if campaign else frozenset()
    summary = aggregate(v for b in sorted(in_scope) for v in values.get(b, ()))
    meeting = measured = total = None
    if goal.per_branch or goal.every_branch:
        means = [aggregate(values.get(b, ())).mean for b in in_scope]
        measured = sum(m is not None for m in means)
        meeting = sum(m is not None and m >= goal.value for m in means)
        total = len(in_scope)
    if goal.every_branch:
        met = bool(total) and meeting == total
    else:
        met = summary.mean is not None and summary.mean >= goal.value
    status = "met" if met else ("missed" if today > goal.due_on else "not_yet")
    return Progress(campaign_id=campaign.id if campaign else None, summary=summary,
                    gap=gap(summary.mean, goal.value), branches_meeting=meeting,
                    branches_measured=measured, branches_total=total, status=status)
