"""The scoring rules of DESIGN.md §4 as pure functions over plain data."""

from audit.scoring.aggregate import (
    PERCENTILES,
    Aggregate,
    Moments,
    aggregate,
    gap,
    percentiles,
    rank,
    t_quantile,
)
from audit.scoring.kpis import kpi_rollup, kpi_summary, kpi_values
from audit.scoring.model import AnswerValue, Condition, QuestionResult, QuestionSpec, VisitScore
from audit.scoring.visit import earned_fraction, hidden_codes, score_visit, servqual_index
from audit.vocabulary import DIMENSIONS, KINDS, KPIS, SCORED_KINDS, STEPS

__all__ = [
    "DIMENSIONS", "KINDS", "KPIS", "PERCENTILES", "SCORED_KINDS", "STEPS", "Aggregate",
    "AnswerValue", "percentiles",
    "Condition", "Moments", "QuestionResult", "QuestionSpec", "VisitScore", "aggregate",
    "earned_fraction", "gap", "hidden_codes", "kpi_rollup", "kpi_summary", "kpi_values", "rank",
    "score_visit", "servqual_index", "t_quantile",
]
