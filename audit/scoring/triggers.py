"""Score triggers, evaluated: which of a brand's rules a visit's stored scores set off.

Pure (no Flask, no database) so the rules can be tested as a table and explained: each
firing says which figure fell under which limit. `audit/triggers/fire.py` loads the rules
and the branch's targets, calls `fired`, and tells the people the rules name.

- `overall_below`: the overall score is under the rule's threshold (a critical fail under
  the `zero` policy scores 0, so it sets this off too).
- `critical_fail`: any applicable critical question earned less than its full points.
- `dimension_below`: the rule's dimension (or, without one, any dimension) is under the
  threshold.
- `dimension_below_target`: the dimension (or any dimension) is under the target set for
  the visit's branch; a dimension without a target never fires.

An unscored figure (null: nothing applicable was scored) is under no limit: a null is not 0.
A rule limited to a region fires only for visits of that region's branches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from audit.scoring.stored import StoredScores
from audit.vocabulary import DIMENSIONS


@dataclass(frozen=True)
class Rule:
    """A rule as the evaluator reads it (the `ScoreTrigger` row's condition part)."""

    id: int
    condition: str
    threshold: float | None = None
    dimension: str | None = None
    region_id: int | None = None


class Shortfall(NamedTuple):
    """One figure under its limit: `metric` is "overall", a dimension, or "critical" (then
    `score` and `limit` are None and `codes` names the failed critical questions)."""

    metric: str
    score: float | None
    limit: float | None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Firing:
    rule: Rule
    shortfalls: tuple[Shortfall, ...]


def _under(score: float | None, limit: float | None) -> bool:
    return score is not None and limit is not None and score < limit


def shortfalls(
    scores: StoredScores, rule: Rule, targets: Mapping[str, float]
) -> tuple[Shortfall, ...]:
    """What of `scores` falls short under `rule` (empty: the rule does not fire)."""
    if rule.condition == "critical_fail":
        return (
            (Shortfall("critical", None, None, tuple(scores.critical_failures)),)
            if scores.critical_fail
            else ()
        )
    if rule.condition == "overall_below":
        return (
            (Shortfall("overall", scores.overall, rule.threshold),)
            if _under(scores.overall, rule.threshold)
            else ()
        )
    dimensions = (rule.dimension,) if rule.dimension else DIMENSIONS
    found = []
    for dimension in dimensions:
        limit = rule.threshold if rule.condition == "dimension_below" else targets.get(dimension)
        score = scores.dimensions.get(dimension)
        if _under(score, limit):
            found.append(Shortfall(dimension, score, limit))
    return tuple(found)


def fired(
    scores: StoredScores,
    rules: Sequence[Rule],
    targets: Mapping[str, float] | None = None,
    region_id: int | None = None,
) -> list[Firing]:
    """The rules the visit's stored `scores` set off, in the order given. `targets` maps a
    dimension to the target value that holds for the visit's branch; `region_id` is the
    branch's region. A visit never scored sets off nothing."""
    if not scores.scored:
        return []
    result = []
    for rule in rules:
        if rule.region_id is not None and rule.region_id != region_id:
            continue
        found = shortfalls(scores, rule, targets or {})
        if found:
            result.append(Firing(rule, found))
    return result
