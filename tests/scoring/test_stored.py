"""The stored score record: what `VisitScore.stored` writes, `StoredScores.from_json` reads
back unchanged, and a missing or partial record reads as empty values."""

from __future__ import annotations

import dataclasses
import json

from audit.scoring import AnswerValue, Condition, QuestionSpec, score_visit
from audit.scoring.stored import Basis, Kpis, QuestionRow, StoredScores
from audit.vocabulary import DIMENSIONS, KPIS, STEPS

Q = QuestionSpec
A = AnswerValue

QUESTIONS = [
    Q("P1", "yes_no", points=2, dimension="tangibles", step=1, critical=True),
    Q("P2", "scale", points=4, max_value=5, dimension="empathy", step=3),
    Q("P3", "choice", options={"a": 1.0, "b": 0.25}, dimension="reliability", step=4),
    Q("P4", "yes_no", condition=Condition("P1", (True,))),
    Q("P5", "number", pass_max=60, kpi="wait_seconds", allow_na=True),
    Q("NPS", "scale", points=0, min_value=0, max_value=10, kpi="nps"),
    Q("NOTE", "text"),
    Q("P6", "yes_no", dimension="assurance"),
]
ANSWERS = {"P1": A(False), "P2": A(4), "P3": A("b"), "P5": A(na=True), "NPS": A(9),
           "NOTE": A("fine")}
BASIS = Basis({"tangibles": 15, "reliability": 25, "responsiveness": 25, "assurance": 15,
               "empathy": 20}, "zero")


def test_round_trip_through_json():
    result = score_visit(QUESTIONS, ANSWERS, weights=BASIS.weights, policy="zero")
    stored = result.stored(BASIS)
    data = json.loads(json.dumps(stored.to_json()))  # as the JSON column gives it back
    assert StoredScores.from_json(data) == stored
    assert StoredScores.from_json(data).to_json() == data


def test_the_record_says_what_the_result_says():
    result = score_visit(QUESTIONS, ANSWERS, policy="zero")
    record = StoredScores.from_json(result.stored(BASIS).to_json())
    assert record.scored and record.overall == result.overall == 0.0
    assert record.raw_overall == result.raw_overall
    assert record.critical_fail and record.critical_failures == ("P1",)
    assert dict(record.dimensions) == result.dimensions
    assert dict(record.steps) == result.steps and set(record.steps) == {str(s) for s in STEPS}
    assert record.servqual_index == result.servqual_index
    assert record.kpis == Kpis(nps=9)
    assert record.basis == BASIS
    assert [(r.code, r.status, r.earned, r.possible) for r in record.questions] == [
        (q.code, q.status, q.earned, q.possible) for q in result.questions]
    assert record.question("P2") == QuestionRow("P2", "scored", 3.0, 4.0)
    assert record.by_code["P4"].status == "hidden"
    assert record.codes("hidden", "na") == {"P4", "P5"}
    assert record.question("P1").failed and not record.question("P1").passed
    assert record.question("NPS") == QuestionRow("NPS", "unscored", 0.0, 0.0)
    assert not record.question("NPS").failed and not record.question("NOTE").passed
    assert record.question("nope") is None


def test_to_dict_is_the_record_without_its_basis():
    result = score_visit(QUESTIONS, ANSWERS)
    assert result.to_dict() == {k: v for k, v in result.stored(BASIS).to_json().items()
                                if k != "basis"}


def test_never_scored_reads_as_empty():
    for data in (None, {}):
        record = StoredScores.from_json(data)
        assert record is StoredScores.EMPTY and not record.scored
        assert record.to_json() is None
        assert record.questions == () and record.by_code == {} and record.question("P1") is None
        assert record.critical_failures == () and record.kpis == Kpis()
        assert dict(record.dimensions) == dict.fromkeys(DIMENSIONS)


def test_a_partial_record_reads_missing_parts_as_empty():
    record = StoredScores.from_json({"kpis": {"nps": 10, "fcr": True}})
    assert record.scored and record.kpis == Kpis(nps=10, fcr=True)
    assert record.kpis.to_json() == {"nps": 10, "csat": None, "ces": None, "fcr": True,
                                     "wait_seconds": None}
    assert record.questions == () and record.basis is None and record.overall is None
    assert StoredScores.from_json({"critical_failures": ["P2.1"]}).critical_failures == (
        "P2.1",)


def test_the_kpi_fields_are_the_vocabulary():
    assert tuple(f.name for f in dataclasses.fields(Kpis)) == KPIS
