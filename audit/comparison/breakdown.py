"""Per-question results (the weakest questions) and service KPIs of a scope, read from the
visits' stored breakdowns.

A campaign of 500 branches holds about 17 000 visits and 400 000 question results; reading
them on every request costs close to a second on SQLite. So each branch's sums are kept
per process, keyed by campaign, branch and counted statuses, and used only while the
branch's fingerprint from the moments query (count, Σ id, Σ revision, latest scoring,
score sums) is unchanged: a change to any visit recomputes its branch alone, and each
process of a deployment checks its own copy against the database, never serving stale
numbers.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from audit.comparison.cache import FingerprintCache
from audit.comparison.queries import BranchMoments
from audit.extensions import db
from audit.models.checklists import Question
from audit.models.visits import Visit
from audit.scoring import kpi_summary, kpi_values
from audit.scoring.stored import read_for_sums
from audit.vocabulary import KPIS

MAX_BRANCH_PARTS = 20_000
WEAKEST = 10


@dataclass(frozen=True)
class BranchPart:
    """One branch's sums per question code (n, Σ earned, Σ possible, critical fails) and
    its visits' KPI values, KPI by KPI."""

    fingerprint: Hashable
    questions: dict[str, tuple[int, float, float, int]]
    kpis: dict[str, list[Any]]


parts_cache = FingerprintCache(MAX_BRANCH_PARTS)


def branch_parts(entries: Sequence[BranchMoments], statuses: Sequence[str],
                 fingerprints: dict[int, Hashable]) -> list[BranchPart]:
    """The parts of the given branches of one campaign, recomputing the stale ones."""
    status_key = tuple(sorted(statuses))
    found: dict[int, BranchPart] = {}
    for entry in entries:
        part = parts_cache.get((entry.campaign_id, entry.branch_id, status_key),
                               fingerprints[entry.branch_id])
        if part is not None:
            found[entry.branch_id] = part
    stale = [e for e in entries if e.branch_id not in found]
    if stale:
        campaign_id = stale[0].campaign_id
        fresh = _compute(campaign_id, [e.branch_id for e in stale], statuses, fingerprints)
        for branch_id, part in fresh.items():
            parts_cache.put((campaign_id, branch_id, status_key), part.fingerprint, part)
            found[branch_id] = part
    return [found[e.branch_id] for e in entries if e.branch_id in found]


def _compute(campaign_id: int, branch_ids: list[int], statuses: Sequence[str],
             fingerprints: dict[int, Hashable]) -> dict[int, BranchPart]:
    sums: dict[int, dict[str, list[float]]] = {b: {} for b in branch_ids}
    kpis: dict[int, list[dict[str, Any]]] = {b: [] for b in branch_ids}
    rows = db.session.execute(select(Visit.branch_id, Visit.scores).where(
        Visit.campaign_id == campaign_id, Visit.status.in_(statuses),
        Visit.branch_id.in_(branch_ids)))
    for branch_id, data in rows:
        record = read_for_sums(data)
        if record is None:
            continue
        kpis[branch_id].append(record.kpis)
        mine = sums[branch_id]
        for code, earned, possible in record.points:
            entry = mine.setdefault(code, [0, 0.0, 0.0, 0])
            entry[0] += 1
            entry[1] += earned
            entry[2] += possible
        for code in record.critical_failures:
            mine.setdefault(code, [0, 0.0, 0.0, 0])[3] += 1
    return {b: BranchPart(fingerprints[b], {c: tuple(v) for c, v in sums[b].items()},
                          kpi_values(kpis[b]))
            for b in branch_ids}


def scope_kpis(parts: Sequence[BranchPart]) -> dict[str, Any]:
    """The KPI roll-up (NPS, CSAT, CES, FCR, waits) of the visits of these branches."""
    return kpi_summary({key: [v for part in parts for v in part.kpis[key]] for key in KPIS})


def weakest_questions(parts: Sequence[BranchPart], version_ids: Sequence[int],
                      limit: int = WEAKEST) -> list[dict[str, Any]]:
    """Questions by their mean earned fraction, Σ earned / Σ possible over the scope's
    counted visits, lowest first; with n, dimension, step and critical fails."""
    totals: dict[str, list[float]] = {}
    for part in parts:
        for code, (n, earned, possible, fails) in part.questions.items():
            entry = totals.setdefault(code, [0, 0.0, 0.0, 0])
            entry[0] += n
            entry[1] += earned
            entry[2] += possible
            entry[3] += fails
    ranked = sorted(((earned / possible, code) for code, (_, earned, possible, _) in
                     totals.items() if possible > 0))
    chosen = ranked[:limit]
    questions = _questions([code for _, code in chosen], version_ids)
    out = []
    for fraction, code in chosen:
        n, earned, possible, fails = totals[code]
        question = questions.get(code)
        out.append({
            "code": code, "text": dict(question.text) if question else {},
            "dimension": question.dimension if question else None,
            "step": question.step if question else None,
            "critical": bool(question and question.critical),
            "n": int(n), "earned": earned, "possible": possible,
            "mean_fraction": fraction, "critical_fails": int(fails),
        })
    return out


def _questions(codes: list[str], version_ids: Sequence[int]) -> dict[str, Question]:
    if not codes:
        return {}
    rows = db.session.scalars(
        select(Question).where(Question.version_id.in_(version_ids), Question.code.in_(codes))
        .order_by(Question.version_id.desc()))
    found: dict[str, Question] = {}
    for question in rows:
        found.setdefault(question.code, question)
    return found
