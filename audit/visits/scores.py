"""Bridge between stored visits and the pure scoring core: compute, store, recompute."""

from __future__ import annotations

from typing import Any

from audit.core.clock import utcnow
from audit.models.checklists import ChecklistVersion, Question
from audit.models.visits import Visit
from audit.scoring import AnswerValue, Condition, QuestionSpec, VisitScore, score_visit
from audit.scoring.stored import Basis
from audit.vocabulary import DIMENSIONS, STEPS


def question_spec(question: Question) -> QuestionSpec:
    """The scoring core's view of a stored question."""
    condition = None
    if question.condition:
        condition = Condition(
            question=question.condition["question"],
            values=tuple(question.condition.get("values", ())),
        )
    return QuestionSpec(
        code=question.code,
        kind=question.kind,
        points=question.points,
        dimension=question.dimension,
        step=question.step,
        critical=question.critical,
        allow_na=question.allow_na,
        min_value=question.min_value,
        max_value=question.max_value,
        pass_min=question.pass_min,
        pass_max=question.pass_max,
        no_passes=question.no_passes,
        options={o["value"]: float(o.get("fraction", 0)) for o in question.options or ()},
        condition=condition,
        kpi=question.kpi,
    )


def version_specs(version: ChecklistVersion) -> list[QuestionSpec]:
    return [question_spec(q) for q in version.ordered_questions()]


def answer_values(visit: Visit) -> dict[str, AnswerValue]:
    return {a.question.code: AnswerValue(value=a.value, na=a.na) for a in visit.answers}


def compute(visit: Visit) -> tuple[VisitScore, Basis]:
    """Score the visit with its brand's current weights and its version's policy."""
    basis = Basis(visit.branch.brand.servqual_weights, visit.checklist_version.critical_policy)
    result = score_visit(
        version_specs(visit.checklist_version), answer_values(visit),
        weights=basis.weights, policy=basis.critical_policy,
    )
    return result, basis


def score_columns(result: VisitScore, basis: Basis) -> dict[str, Any]:
    """The visit's stored-score columns: per dimension and step for SQL, JSON for the detail."""
    columns: dict[str, Any] = {
        "scores": result.stored(basis).to_json(),
        "scored_at": utcnow(),
        "score_overall": result.overall,
        "critical_fail": result.critical_fail,
        "servqual_index": result.servqual_index,
    }
    for dimension in DIMENSIONS:
        columns[f"score_{dimension}"] = result.dimensions[dimension]
    for step in STEPS:
        columns[f"score_step_{step}"] = result.steps[str(step)]
    return columns


def store(visit: Visit, computed: tuple[VisitScore, Basis] | None = None) -> VisitScore:
    """Compute (or take the result just computed) and store the scores on the visit."""
    result, basis = computed or compute(visit)
    for name, value in score_columns(result, basis).items():
        setattr(visit, name, value)
    return result


def refresh_if_scored(visit: Visit) -> None:
    """Recompute stored scores after a change, when the visit has been scored before."""
    if visit.scored_at is not None:
        store(visit)
