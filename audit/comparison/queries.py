"""SQL aggregates behind the branch comparison: n, Σx and Σx² per campaign, branch and
score column, summed by the database from the stored-score columns (the covering index
`ix_visits_comparison` answers it without reading the visits' rows or their JSON)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from audit.extensions import db
from audit.models.visits import Visit
from audit.scoring import Moments
from audit.vocabulary import DIMENSIONS, STEPS

STEP_KEYS = tuple(str(s) for s in STEPS)
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("overall", Visit.score_overall),
    *((d, getattr(Visit, f"score_{d}")) for d in DIMENSIONS),
    *((f"step_{s}", getattr(Visit, f"score_step_{s}")) for s in STEPS),
)


@dataclass(frozen=True)
class BranchMoments:
    """One branch in one campaign: moments per score column and a fingerprint of its
    counted visits (count, Σ id, Σ revision, latest scoring) that changes whenever one of
    them does."""

    campaign_id: int
    branch_id: int
    columns: dict[str, Moments]
    fingerprint: tuple[Any, ...]


def branch_moments(campaign_ids: Sequence[int], statuses: Sequence[str],
                   columns: Iterable[str] | None = None) -> list[BranchMoments]:
    """COUNT(x), SUM(x) and SUM(x·x) per campaign, branch and score column in one pass over
    the counted visits (a second pass against the means costs twice as much on SQLite;
    `Moments.from_sums` keeps the result exact where the scores are identical)."""
    wanted = [(name, col) for name, col in COLUMNS if columns is None or name in columns]
    parts: list[Any] = [func.count(), func.sum(Visit.id), func.sum(Visit.revision),
                        func.max(Visit.scored_at)]
    for _, col in wanted:
        parts += [func.count(col), func.sum(col), func.sum(col * col)]
    query = (
        select(Visit.campaign_id, Visit.branch_id, *parts)
        .where(Visit.campaign_id.in_(campaign_ids), Visit.status.in_(statuses))
        .group_by(Visit.campaign_id, Visit.branch_id)
    )
    result = []
    for row in db.session.execute(query):
        values = row[6:]
        result.append(BranchMoments(
            campaign_id=row[0], branch_id=row[1],
            fingerprint=(int(row[2]), int(row[3]), int(row[4]), row[5]),
            columns={name: Moments.from_sums(*values[3 * i:3 * i + 3])
                     for i, (name, _) in enumerate(wanted)},
        ))
    return result


def campaign_fingerprint(campaign_id: int, statuses: Sequence[str]) -> tuple[Any, ...]:
    """Changes whenever a counted visit of the campaign changes (its revision, its scores),
    enters or leaves (count, ids); one row from the covering index, a third of the cost
    of the grouped sums."""
    row = db.session.execute(
        select(func.count(), func.sum(Visit.id), func.sum(Visit.revision),
               func.max(Visit.scored_at), *(func.sum(col) for _, col in COLUMNS))
        .where(Visit.campaign_id == campaign_id, Visit.status.in_(statuses))
    ).one()
    return tuple(row)


def campaign_moments(campaign_ids: Sequence[int], statuses: Sequence[str],
                     branch_ids: Any = None) -> dict[int, Moments]:
    """Overall-score moments per campaign, over all its branches or those in `branch_ids`
    (a list or a subquery): the points of the trend."""
    col = Visit.score_overall
    query = (
        select(Visit.campaign_id, func.count(col), func.sum(col), func.sum(col * col))
        .where(Visit.campaign_id.in_(campaign_ids), Visit.status.in_(statuses))
        .group_by(Visit.campaign_id)
    )
    if branch_ids is not None:
        query = query.where(Visit.branch_id.in_(branch_ids))
    return {row[0]: Moments.from_sums(*row[1:]) for row in db.session.execute(query)}


def total(moments: Iterable[Moments]) -> Moments:
    """The moments of several groups taken together (each visit weighs the same)."""
    return Moments.combine(moments)
