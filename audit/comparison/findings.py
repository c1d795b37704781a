"""The comparison report's findings, for the executive summary in words (pure, no Flask):
the scope's strongest and weakest dimension and step, the change since the previous
campaign, the critical fails and the branches under a target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Extreme:
    """A dimension or step (its key) with the scope's and the brand's mean."""

    key: str
    value: float
    brand: float | None


@dataclass(frozen=True)
class ProfileRow:
    """One dimension or step: the scope's mean, the brand's, and the difference."""

    group: str  # "dimension" | "step"
    key: str
    value: float | None
    brand: float | None

    @property
    def difference(self) -> float | None:
        if self.value is None or self.brand is None:
            return None
        return self.value - self.brand


@dataclass(frozen=True)
class Change:
    """The scope's mean now and in the latest earlier campaign that has one."""

    campaign_name: Any  # the campaign's {lang: name}
    before: float
    now: float

    @property
    def delta(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class UnderTarget:
    """A target some branches of the scope do not reach (`under` of `measured`); a
    branch's own target (scope "branch") is that branch, under it at `current`."""

    scope: str
    metric: str
    target: float
    scope_name: str | None
    under: int
    measured: int
    not_measured: int
    current: float | None


@dataclass(frozen=True)
class Findings:
    """The executive summary's findings; the template says them in the report's language."""

    mean: float | None
    n: int
    brand_mean: float | None
    strongest_dimension: Extreme | None
    weakest_dimension: Extreme | None
    strongest_step: Extreme | None
    weakest_step: Extreme | None
    change: Change | None
    earlier_campaigns: int  # campaigns before this one; none: the brand's first campaign
    critical_visits: int
    critical_branches: int
    targets_set: int
    under_target: tuple[UnderTarget, ...]
    profile: tuple[ProfileRow, ...]  # the dimensions and steps with a score in the brand


def extremes(values: Mapping[str, float | None], brand: Mapping[str, float | None]
             ) -> tuple[Extreme | None, Extreme | None]:
    """The highest and the lowest of the values that exist (the first in key order on a
    tie); the weakest is None when only one has a value, so it is not named twice."""
    present = [(key, value) for key, value in values.items() if value is not None]
    if not present:
        return None, None
    best = max(present, key=lambda kv: kv[1])
    worst = min(present, key=lambda kv: kv[1])
    return (Extreme(*best, brand.get(best[0])),
            Extreme(*worst, brand.get(worst[0])) if len(present) > 1 else None)


def profile(data: Mapping[str, Any]) -> tuple[ProfileRow, ...]:
    """The scope against the brand, dimension by dimension and step by step (those the
    brand has a score for)."""
    rows = []
    for group, scope_key, brand_key in (("dimension", "scope_dimensions", "brand_dimensions"),
                                        ("step", "scope_steps", "brand_steps")):
        for key, brand in data[brand_key].items():
            if brand is not None:
                rows.append(ProfileRow(group, key, data[scope_key].get(key), brand))
    return tuple(rows)


def change_since_previous(trend: Sequence[Mapping[str, Any]], campaign_id: int
                          ) -> tuple[Change | None, int]:
    """The scope's mean against the latest earlier campaign of the brand that has one, and
    how many campaigns came before this one (0: the first campaign)."""
    ids = [point["campaign"] for point in trend]
    if campaign_id not in ids:
        return None, 0
    here = ids.index(campaign_id)
    now = trend[here]["scope"]["mean"]
    earlier = trend[:here]
    if now is None:
        return None, len(earlier)
    for point in reversed(earlier):
        if point["scope"]["mean"] is not None:
            return Change(point["name"], point["scope"]["mean"], now), len(earlier)
    return None, len(earlier)


def under_targets(targets: Sequence[Mapping[str, Any]]) -> tuple[UnderTarget, ...]:
    """The targets with branches of the scope under them, from the comparison's measured
    targets: per branch for brand and region targets, the branch itself for a branch's."""
    found = []
    for t in targets:
        if t["branches_measured"] is not None:
            measured = t["branches_measured"]
            under = measured - t["branches_meeting"]
            not_measured = (t["branches_total"] or 0) - measured
        else:
            measured = 0 if t["current"] is None else 1
            under = int(t["current"] is not None and t["current"] < t["target"])
            not_measured = 1 - measured
        if under:
            found.append(UnderTarget(t["scope"], t["metric"], t["target"], t.get("scope_name"),
                                     under, measured, not_measured, t["current"]))
    return tuple(found)


def summary_findings(data: Mapping[str, Any], targets: Sequence[Mapping[str, Any]],
                     critical_by_branch: Sequence[Mapping[str, Any]]) -> Findings:
    """What the executive summary says, from the comparison's data (`branch_comparison`),
    its measured targets (`comparison_targets`) and the critical fails per branch."""
    strongest_dimension, weakest_dimension = extremes(data["scope_dimensions"],
                                                      data["brand_dimensions"])
    strongest_step, weakest_step = extremes(data["scope_steps"], data["brand_steps"])
    change, earlier = change_since_previous(data["trend"], data["campaign"])
    return Findings(
        mean=data["scope"]["mean"], n=data["scope"]["n"], brand_mean=data["brand"]["mean"],
        strongest_dimension=strongest_dimension, weakest_dimension=weakest_dimension,
        strongest_step=strongest_step, weakest_step=weakest_step,
        change=change, earlier_campaigns=earlier,
        critical_visits=sum(len(entry["visits"]) for entry in critical_by_branch),
        critical_branches=len(critical_by_branch),
        targets_set=len(targets), under_target=under_targets(targets), profile=profile(data))
