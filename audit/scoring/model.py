"""Plain inputs and outputs of the scoring core (DESIGN.md §4); no Flask, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.scoring.stored import Basis, Kpis, QuestionRow, StoredScores


@dataclass(frozen=True)
class Condition:
    """Show a question only when another question's answer is one of `values`."""

    question: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class QuestionSpec:
    """What scoring needs to know of one question."""

    code: str
    kind: str
    points: float = 1.0
    dimension: str | None = None
    step: int | None = None
    critical: bool = False
    allow_na: bool = False
    min_value: float | None = None
    max_value: float | None = None
    pass_min: float | None = None
    pass_max: float | None = None
    no_passes: bool = False
    options: Mapping[str, float] = field(default_factory=dict)
    condition: Condition | None = None
    kpi: str | None = None


@dataclass(frozen=True)
class AnswerValue:
    """One answer: a value, or N/A."""

    value: Any = None
    na: bool = False


@dataclass(frozen=True)
class QuestionResult:
    """How one question counted, so a reader can re-add the score by hand."""

    code: str
    status: str  # scored | na | hidden | unanswered | unscored
    earned: float | None = None
    possible: float | None = None
    fraction: float | None = None


@dataclass(frozen=True)
class VisitScore:
    """Every score of one visit; None wherever nothing applicable was scored."""

    overall: float | None
    raw_overall: float | None
    critical_fail: bool
    critical_failures: tuple[str, ...]
    dimensions: dict[str, float | None]
    steps: dict[str, float | None]
    servqual_index: float | None
    questions: tuple[QuestionResult, ...]
    kpis: dict[str, Any]

    def stored(self, basis: Basis | None = None) -> StoredScores:
        """The record stored with the visit (`Visit.scores`, see stored.py), with the
        weights and policy it was computed with."""
        return StoredScores(
            overall=self.overall,
            raw_overall=self.raw_overall,
            critical_fail=self.critical_fail,
            critical_failures=tuple(self.critical_failures),
            dimensions=dict(self.dimensions),
            steps=dict(self.steps),
            servqual_index=self.servqual_index,
            kpis=Kpis.from_json(self.kpis),
            questions=tuple(QuestionRow(q.code, q.status, q.earned, q.possible)
                            for q in self.questions),
            basis=basis,
        )

    def to_dict(self) -> dict[str, Any]:
        """The stored record without a basis."""
        return self.stored().to_json()
