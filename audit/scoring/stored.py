"""The stored score record of a visit (`Visit.scores`): its one reader and writer.

`VisitScore.stored(basis)` (model.py) writes it when a visit is scored; pages, PDFs,
exports, the API and the comparison read it back with `StoredScores.from_json`, never as
a raw dict. The JSON, as stored:

    {"overall": 87.5, "raw_overall": 87.5, "critical_fail": false,
     "critical_failures": ["P2.1"],
     "dimensions": {"tangibles": 90.0, ...},          # every dimension, null when unscored
     "steps": {"1": 100.0, ...},                      # every step (as text), null likewise
     "servqual_index": 88.0,
     "kpis": {"nps": 9, "csat": 4, "ces": null, "fcr": true, "wait_seconds": 95.0},
     "questions": [{"code": "P1", "status": "scored", "earned": 1.0, "possible": 1.0}, ...],
     "basis": {"weights": {"tangibles": 20, ...}, "critical_policy": "flag"}}

A visit never scored has no record (`None`); it reads as `StoredScores.EMPTY`, whose
`scored` is false. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, ClassVar, NamedTuple

from audit.vocabulary import DIMENSIONS, KPIS, STEPS

STEP_KEYS = tuple(str(s) for s in STEPS)
# Earned within this of possible counts as full points (sums of float fractions).
FULL_POINTS_TOLERANCE = 1e-9


# The writer always stores the four keys. Rows are built without NamedTuple's __new__:
# a campaign's comparison reads some 400 000 of them.
_row_fields = itemgetter("code", "status", "earned", "possible")


class QuestionRow(NamedTuple):
    """How one question counted: `status` is scored, na, hidden, unanswered or unscored;
    earned and possible points are set when it was scored (0 and 0 for a question worth
    no points)."""

    code: str
    status: str
    earned: float | None = None
    possible: float | None = None

    @property
    def scored(self) -> bool:
        return self.status == "scored"

    @property
    def failed(self) -> bool:
        """Scored and earned less than its full points."""
        return self.scored and self.earned < self.possible - FULL_POINTS_TOLERANCE

    @property
    def passed(self) -> bool:
        """Scored and earned its full points."""
        return self.scored and self.earned >= self.possible - FULL_POINTS_TOLERANCE

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QuestionRow:
        return tuple.__new__(cls, _row_fields(data))

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "status": self.status, "earned": self.earned,
                "possible": self.possible}


@dataclass(frozen=True)
class Kpis:
    """The service KPIs one visit measured (None where it did not)."""

    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    fcr: bool | None = None
    wait_seconds: float | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Kpis:
        return cls(*map((data or {}).get, KPIS))

    def to_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in KPIS}


@dataclass(frozen=True)
class Basis:
    """What the scores were computed with: the brand's weights then, the version's policy."""

    weights: Mapping[str, float] | None
    critical_policy: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Basis | None:
        if data is None:
            return None
        weights = data.get("weights")
        return cls(None if weights is None else dict(weights), data.get("critical_policy"))

    def to_json(self) -> dict[str, Any]:
        weights = None if self.weights is None else dict(self.weights)
        return {"weights": weights, "critical_policy": self.critical_policy}


def _by_key(keys: tuple[str, ...], data: Mapping[str, Any] | None) -> dict[str, float | None]:
    data = data or {}
    return {key: data.get(key) for key in keys}


@dataclass(frozen=True)
class StoredScores:
    """A visit's stored scores, typed. `dimensions` has every dimension and `steps` every
    step (keyed "1".."5"), None where nothing applicable was scored."""

    overall: float | None = None
    raw_overall: float | None = None
    critical_fail: bool = False
    critical_failures: tuple[str, ...] = ()
    dimensions: Mapping[str, float | None] = field(
        default_factory=lambda: dict.fromkeys(DIMENSIONS))
    steps: Mapping[str, float | None] = field(default_factory=lambda: dict.fromkeys(STEP_KEYS))
    servqual_index: float | None = None
    kpis: Kpis = Kpis()
    questions: tuple[QuestionRow, ...] = ()
    basis: Basis | None = None
    scored: bool = True  # False only for EMPTY: the visit has no stored scores

    EMPTY: ClassVar[StoredScores]

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> StoredScores:
        """Read a stored record; None (never scored) reads as EMPTY. Keys a record lacks
        read as their empty value."""
        if not data:
            return cls.EMPTY
        return cls(
            overall=data.get("overall"),
            raw_overall=data.get("raw_overall"),
            critical_fail=bool(data.get("critical_fail")),
            critical_failures=tuple(data.get("critical_failures") or ()),
            dimensions=_by_key(DIMENSIONS, data.get("dimensions")),
            steps=_by_key(STEP_KEYS, data.get("steps")),
            servqual_index=data.get("servqual_index"),
            kpis=Kpis.from_json(data.get("kpis")),
            questions=tuple([tuple.__new__(QuestionRow, _row_fields(q))
                             for q in data.get("questions") or ()]),
            basis=Basis.from_json(data.get("basis")),
        )

    def to_json(self) -> dict[str, Any] | None:
        """The record as stored; None for EMPTY. The basis is left out when there is none
        (a score computed outside a visit)."""
        if not self.scored:
            return None
        data: dict[str, Any] = {
            "overall": self.overall,
            "raw_overall": self.raw_overall,
            "critical_fail": self.critical_fail,
            "critical_failures": list(self.critical_failures),
            "dimensions": dict(self.dimensions),
            "steps": dict(self.steps),
            "servqual_index": self.servqual_index,
            "kpis": self.kpis.to_json(),
            "questions": [row.to_json() for row in self.questions],
        }
        if self.basis is not None:
            data["basis"] = self.basis.to_json()
        return data

    @property
    def by_code(self) -> dict[str, QuestionRow]:
        """Question code -> how it counted."""
        return {row.code: row for row in self.questions}

    def question(self, code: str) -> QuestionRow | None:
        """How the question `code` counted; None if the record does not list it."""
        return next((row for row in self.questions if row.code == code), None)

    def codes(self, *statuses: str) -> set[str]:
        """Codes of the questions with one of `statuses` (scored, na, hidden, ...)."""
        return {row.code for row in self.questions if row.status in statuses}


StoredScores.EMPTY = StoredScores(scored=False)


class Sums(NamedTuple):
    """What sums over many visits take from one record: its KPI values, (code, earned,
    possible) of each question scored with points, and its critical failures."""

    kpis: Mapping[str, Any]
    points: list[tuple[str, float, float]]
    critical_failures: Sequence[str]


def read_for_sums(data: Mapping[str, Any] | None) -> Sums | None:
    """The parts of a stored record (None if never scored) that a campaign's comparison
    sums, read straight from the JSON: a record and a row object per question would make a
    cold comparison about twice as slow (17 000 visits, some 400 000 rows)."""
    if not data:
        return None
    points = [(q["code"], q["earned"], q["possible"]) for q in data.get("questions") or ()
              if q["status"] == "scored" and q["possible"]]
    return Sums(data.get("kpis") or {}, points, data.get("critical_failures") or ())
