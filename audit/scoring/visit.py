"""Scoring one visit: earned fractions, N/A, conditions, critical items, weighted index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from audit.scoring.model import AnswerValue, QuestionResult, QuestionSpec, VisitScore
from audit.vocabulary import CRITICAL_POLICIES, DIMENSIONS, KPIS, SCORED_KINDS, STEPS

EQUAL_WEIGHTS = {d: 20.0 for d in DIMENSIONS}


def earned_fraction(spec: QuestionSpec, value: Any) -> float:
    """The share of the question's points an answer earns (DESIGN.md §4 table)."""
    if spec.kind == "yes_no":
        passed = bool(value) != spec.no_passes
        return 1.0 if passed else 0.0
    if spec.kind == "scale":
        low = spec.min_value if spec.min_value is not None else 1.0
        high = spec.max_value
        if high is None or high <= low:
            raise ValueError(f"{spec.code}: a scale needs max_value above min_value")
        return (float(value) - low) / (high - low)
    if spec.kind == "choice":
        return float(spec.options[value])
    if spec.kind == "number":
        number = float(value)
        above = spec.pass_min is None or number >= spec.pass_min
        below = spec.pass_max is None or number <= spec.pass_max
        return 1.0 if above and below else 0.0
    raise ValueError(f"{spec.code}: kind {spec.kind!r} is not scored")


def _answered(answer: AnswerValue | None) -> bool:
    return answer is not None and not answer.na and answer.value is not None


def hidden_codes(
    questions: Sequence[QuestionSpec], answers: Mapping[str, AnswerValue]
) -> set[str]:
    """Questions hidden by their condition (transitively; a cycle hides)."""
    by_code = {q.code: q for q in questions}
    memo: dict[str, bool] = {}

    def hidden(code: str, seen: frozenset[str]) -> bool:
        if code in memo:
            return memo[code]
        spec = by_code.get(code)
        if spec is None or spec.condition is None:
            return False
        target = spec.condition.question
        if target in seen or target not in by_code:
            result = True
        else:
            answer = answers.get(target)
            result = (
                hidden(target, seen | {code})
                or not _answered(answer)
                or answer.value not in spec.condition.values
            )
        memo[code] = result
        return result

    return {q.code for q in questions if hidden(q.code, frozenset({q.code}))}


def _ratio(earned: float, possible: float) -> float | None:
    return 100.0 * earned / possible if possible > 0 else None


def score_visit(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, AnswerValue],
    *,
    weights: Mapping[str, float] | None = None,
    policy: str = "flag",
) -> VisitScore:
    """Score a visit exactly as DESIGN.md §4 says; pure and order-independent."""
    if policy not in CRITICAL_POLICIES:
        raise ValueError(f"unknown critical-fail policy {policy!r}")
    hidden = hidden_codes(questions, answers)
    results: list[QuestionResult] = []
    totals = {"": [0.0, 0.0]}
    totals.update({f"d:{d}": [0.0, 0.0] for d in DIMENSIONS})
    totals.update({f"s:{s}": [0.0, 0.0] for s in STEPS})
    failures: list[str] = []
    kpis: dict[str, Any] = dict.fromkeys(KPIS)

    for spec in questions:
        answer = answers.get(spec.code)
        if spec.code in hidden:
            results.append(QuestionResult(spec.code, "hidden"))
            continue
        if answer is not None and answer.na:
            results.append(QuestionResult(spec.code, "na"))
            continue
        if not _answered(answer):
            results.append(QuestionResult(spec.code, "unanswered"))
            continue
        if spec.kpi in kpis:
            kpis[spec.kpi] = _kpi_value(spec.kpi, answer.value)
        if spec.kind not in SCORED_KINDS:
            results.append(QuestionResult(spec.code, "unscored"))
            continue
        fraction = earned_fraction(spec, answer.value)
        if spec.critical and fraction < 1:
            failures.append(spec.code)
        if spec.points <= 0:
            results.append(QuestionResult(spec.code, "unscored", 0.0, 0.0, fraction))
            continue
        earned = spec.points * fraction
        results.append(QuestionResult(spec.code, "scored", earned, float(spec.points), fraction))
        keys = [""]
        if spec.dimension:
            keys.append(f"d:{spec.dimension}")
        if spec.step:
            keys.append(f"s:{spec.step}")
        for key in keys:
            totals[key][0] += earned
            totals[key][1] += spec.points

    raw = _ratio(*totals[""])
    critical_fail = bool(failures)
    overall = 0.0 if critical_fail and policy == "zero" else raw
    dimensions = {d: _ratio(*totals[f"d:{d}"]) for d in DIMENSIONS}
    steps = {str(s): _ratio(*totals[f"s:{s}"]) for s in STEPS}
    return VisitScore(
        overall=overall,
        raw_overall=raw,
        critical_fail=critical_fail,
        critical_failures=tuple(sorted(failures)),
        dimensions=dimensions,
        steps=steps,
        servqual_index=servqual_index(dimensions, weights),
        questions=tuple(results),
        kpis=kpis,
    )


def servqual_index(
    dimensions: Mapping[str, float | None], weights: Mapping[str, float] | None
) -> float | None:
    """Σ w·score / Σ w over the dimensions that have a score (and a positive weight)."""
    weights = EQUAL_WEIGHTS if weights is None else weights
    pairs = [
        (float(weights.get(d, 0)), score)
        for d, score in dimensions.items()
        if score is not None and weights.get(d, 0) > 0
    ]
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if total > 0 else None


def _kpi_value(kpi: str, value: Any) -> Any:
    if kpi == "fcr":
        return bool(value)
    if kpi == "wait_seconds":
        return float(value)
    return int(value)
