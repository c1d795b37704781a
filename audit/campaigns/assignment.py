"""Automatic assignment of open visits to shoppers: pure, so the rules are tested exactly.

Rules: the least-loaded eligible shopper gets the next visit (ties go to the lowest
shopper id, so a run is reproducible); a shopper is never eligible for a branch whose
previous visit they made ("never the same shopper at the same branch twice in a row"),
and visits of one branch in the same run alternate for the same reason. A visit with no
eligible shopper stays open and is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class OpenVisit:
    """What the rules need to know of an open visit."""

    id: int
    branch_id: int
    due_from: date


@dataclass
class Plan:
    """The outcome: visit id -> shopper id, the visits left open, the loads after."""

    assigned: dict[int, int] = field(default_factory=dict)
    unassigned: list[int] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)


def plan_assignment(
    visits: Iterable[OpenVisit],
    loads: Mapping[int, int],
    last_shopper: Mapping[int, int | None],
    cap: int | None = None,
) -> Plan:
    """Assign `visits` (earliest due first) to shoppers given their current `loads`.

    `last_shopper` maps a branch id to the shopper of that branch's previous visit;
    `cap`, when given, is the most open assignments a shopper may hold.
    """
    current = dict(loads)
    last = dict(last_shopper)
    plan = Plan()
    for visit in sorted(visits, key=lambda v: (v.due_from, v.branch_id, v.id)):
        excluded = last.get(visit.branch_id)
        eligible = [s for s in current
                    if s != excluded and (cap is None or current[s] < cap)]
        if not eligible:
            plan.unassigned.append(visit.id)
            continue
        chosen = min(eligible, key=lambda s: (current[s], s))
        plan.assigned[visit.id] = chosen
        current[chosen] += 1
        last[visit.branch_id] = chosen
    plan.loads = current
    return plan


def may_take(shopper_id: int, branch_id: int, last_shopper: Mapping[int, int | None]) -> bool:
    """The twice-in-a-row rule for one shopper and one branch (claims, manual assignment)."""
    return last_shopper.get(branch_id) != shopper_id


def due_windows(starts_on: date, ends_on: date, count: int) -> list[tuple[date, date]]:
    """Split the campaign period into `count` consecutive windows of near-equal length, so
    repeated visits to a branch spread over the period; a period shorter than `count` days
    gives some visits the same one-day window rather than an empty one."""
    days = (ends_on - starts_on).days + 1
    windows = []
    for k in range(count):
        start = starts_on + timedelta(days=min(k * days // count, days - 1))
        end = starts_on + timedelta(days=max((k + 1) * days // count - 1, 0))
        windows.append((start, max(start, end)))
    return windows
