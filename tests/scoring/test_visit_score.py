"""Exact values for every visit-scoring rule of DESIGN.md §4 (hand-computed in comments)."""

from __future__ import annotations

import pytest

from audit.scoring import AnswerValue, Condition, QuestionSpec, score_visit
from audit.scoring.visit import earned_fraction

Q = QuestionSpec
A = AnswerValue


def test_earned_fraction_per_kind():
    assert earned_fraction(Q("y", "yes_no"), True) == 1.0
    assert earned_fraction(Q("y", "yes_no"), False) == 0.0
    assert earned_fraction(Q("n", "yes_no", no_passes=True), False) == 1.0
    assert earned_fraction(Q("n", "yes_no", no_passes=True), True) == 0.0
    scale = Q("s", "scale", max_value=7)
    assert [earned_fraction(scale, v) for v in (1, 4, 7)] == [0.0, 0.5, 1.0]
    assert earned_fraction(Q("s5", "scale", max_value=5), 2) == 0.25  # (2-1)/(5-1)
    choice = Q("c", "choice", options={"full": 1.0, "part": 0.4, "none": 0.0})
    assert earned_fraction(choice, "part") == 0.4
    band = Q("w", "number", pass_min=0, pass_max=60)
    assert earned_fraction(band, 60) == 1.0
    assert earned_fraction(band, 60.5) == 0.0
    assert earned_fraction(Q("o", "number", pass_max=3), -100) == 1.0  # open lower end
    assert earned_fraction(Q("o", "number", pass_min=10), 10_000) == 1.0  # open upper end
    assert earned_fraction(Q("o", "number", pass_min=10), 9.99) == 0.0


def test_unscored_kind_is_refused_by_earned_fraction():
    with pytest.raises(ValueError):
        earned_fraction(Q("t", "text"), "hello")


def test_overall_is_weighted_by_points():
    questions = [
        Q("Y", "yes_no", points=2, dimension="reliability"),
        Q("S", "scale", points=3, max_value=7, dimension="empathy"),
        Q("C", "choice", points=1, options={"a": 1.0, "b": 0.5}, dimension="empathy"),
        Q("N", "number", points=2, pass_min=0, pass_max=60, dimension="responsiveness"),
        Q("T", "text"),
    ]
    answers = {"Y": A(True), "S": A(5), "C": A("b"), "N": A(90), "T": A("notes")}
    result = score_visit(questions, answers)
    # earned: 2*1 + 3*(4/6) + 1*0.5 + 2*0 = 4.5 of 8 possible
    assert result.overall == pytest.approx(100 * 4.5 / 8)
    assert result.raw_overall == result.overall
    assert result.dimensions["reliability"] == 100.0
    assert result.dimensions["empathy"] == pytest.approx(100 * 2.5 / 4)  # (2 + 0.5) / 4
    assert result.dimensions["responsiveness"] == 0.0
    assert result.dimensions["tangibles"] is None and result.dimensions["assurance"] is None
    statuses = {q.code: q.status for q in result.questions}
    assert statuses == {"Y": "scored", "S": "scored", "C": "scored", "N": "scored",
                        "T": "unscored"}
    breakdown = {q.code: (q.earned, q.possible) for q in result.questions}
    assert breakdown["S"] == (pytest.approx(2.0), 3.0)
    assert sum(q.earned for q in result.questions if q.status == "scored") == pytest.approx(4.5)


def test_na_counts_in_neither_earned_nor_possible():
    questions = [Q("A", "yes_no", allow_na=True), Q("B", "yes_no"), Q("C", "yes_no")]
    result = score_visit(questions, {"A": A(na=True), "B": A(True), "C": A(False)})
    assert result.overall == 50.0  # 1 of 2, A left out
    assert [q.status for q in result.questions] == ["na", "scored", "scored"]


def test_null_never_zero_when_nothing_applies():
    questions = [Q("A", "yes_no", allow_na=True, dimension="empathy", step=2), Q("T", "text")]
    result = score_visit(questions, {"A": A(na=True), "T": A("x")})
    assert result.overall is None
    assert result.raw_overall is None
    assert result.dimensions["empathy"] is None
    assert result.steps["2"] is None
    assert result.servqual_index is None
    assert score_visit([], {}).overall is None


def test_unanswered_counts_in_neither():
    questions = [Q("A", "yes_no"), Q("B", "yes_no")]
    result = score_visit(questions, {"A": A(True)})
    assert result.overall == 100.0
    assert result.questions[1].status == "unanswered"
    assert score_visit(questions, {"A": A(None)}).overall is None


def test_points_zero_is_recorded_not_scored():
    questions = [Q("NPS", "scale", points=0, min_value=0, max_value=10, kpi="nps"),
                 Q("Y", "yes_no")]
    result = score_visit(questions, {"NPS": A(3), "Y": A(False)})
    assert result.overall == 0.0
    assert result.questions[0].status == "unscored"
    assert result.kpis["nps"] == 3


def test_scale_with_lower_bound_zero():
    result = score_visit([Q("S", "scale", min_value=0, max_value=10)], {"S": A(5)})
    assert result.overall == 50.0


CONDITIONAL = [
    Q("WAIT", "yes_no", points=0),
    Q("SORRY", "yes_no", condition=Condition("WAIT", (True,)), dimension="empathy"),
    Q("THANKS", "yes_no", condition=Condition("SORRY", (True,)), dimension="empathy"),
    Q("GREET", "yes_no", dimension="empathy"),
]


def test_condition_met_shows_the_question():
    result = score_visit(CONDITIONAL, {"WAIT": A(True), "SORRY": A(False), "GREET": A(True)})
    # SORRY shown and failed; THANKS hidden because SORRY is not "yes".
    assert result.overall == 50.0
    assert {q.code: q.status for q in result.questions}["THANKS"] == "hidden"


@pytest.mark.parametrize("wait", [A(False), A(na=True), None])
def test_condition_not_met_hides_even_an_answered_question(wait):
    answers = {"SORRY": A(False), "THANKS": A(False), "GREET": A(True)}
    if wait is not None:
        answers["WAIT"] = wait
    result = score_visit(CONDITIONAL, answers)
    # SORRY is hidden (controller not "yes"), THANKS hidden through SORRY: only GREET counts.
    assert result.overall == 100.0
    statuses = {q.code: q.status for q in result.questions}
    assert statuses["SORRY"] == statuses["THANKS"] == "hidden"


def test_condition_cycle_hides():
    questions = [Q("A", "yes_no", condition=Condition("B", (True,))),
                 Q("B", "yes_no", condition=Condition("A", (True,))), Q("C", "yes_no")]
    result = score_visit(questions, {"A": A(True), "B": A(True), "C": A(True)})
    assert [q.status for q in result.questions] == ["hidden", "hidden", "scored"]


STEPPED = [
    Q("P1", "yes_no", step=1, dimension="responsiveness"),
    Q("P2a", "yes_no", step=2, dimension="empathy", critical=True),
    Q("P2b", "yes_no", step=2, dimension="empathy"),
    Q("P3", "yes_no", step=3, dimension="reliability", allow_na=True),
    Q("P4", "choice", step=4, dimension="reliability", options={"ok": 1.0, "half": 0.5}),
]


def test_step_scores():
    result = score_visit(STEPPED, {"P1": A(True), "P2a": A(True), "P2b": A(False),
                                   "P3": A(na=True), "P4": A("half")})
    assert result.steps == {"1": 100.0, "2": 50.0, "3": None, "4": 50.0, "5": None}
    assert result.overall == pytest.approx(100 * 2.5 / 4)


def test_critical_fail_policy_zero():
    answers = {"P1": A(True), "P2a": A(False), "P2b": A(True), "P3": A(True), "P4": A("ok")}
    result = score_visit(STEPPED, answers, policy="zero")
    assert result.critical_fail is True
    assert result.critical_failures == ("P2a",)
    assert result.overall == 0.0
    assert result.raw_overall == 80.0  # 4 of 5
    # Dimension and step scores are never zeroed.
    assert result.dimensions["empathy"] == 50.0
    assert result.steps["2"] == 50.0
    assert result.dimensions["reliability"] == 100.0


def test_critical_fail_policy_flag():
    answers = {"P1": A(True), "P2a": A(False), "P2b": A(True), "P3": A(True), "P4": A("ok")}
    result = score_visit(STEPPED, answers, policy="flag")
    assert result.critical_fail is True
    assert result.overall == 80.0


def test_critical_partial_choice_fails():
    question = Q("C", "choice", critical=True, options={"ok": 1.0, "half": 0.5})
    assert score_visit([question], {"C": A("half")}, policy="zero").overall == 0.0


@pytest.mark.parametrize("answers", [
    {"G": A(na=True), "X": A(True)},  # critical N/A
    {"X": A(True)},  # critical unanswered
    {"W": A(False), "G": A(False), "X": A(True)},  # critical hidden by its condition
])
def test_critical_not_applicable_does_not_fail(answers):
    questions = [Q("W", "yes_no", points=0),
                 Q("G", "yes_no", critical=True, allow_na=True, condition=None
                   if "W" not in answers else Condition("W", (True,))),
                 Q("X", "yes_no")]
    result = score_visit(questions, answers, policy="zero")
    assert result.critical_fail is False
    assert result.overall == 100.0


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError):
        score_visit([], {}, policy="strict")


def test_weighted_servqual_index_exact():
    codes = {"ta": "tangibles", "re": "reliability", "rs": "responsiveness",
             "as": "assurance", "em": "empathy"}
    questions = [Q(code, "scale", max_value=5, dimension=d) for code, d in codes.items()]
    answers = {"ta": A(5), "re": A(3), "rs": A(1), "as": A(4), "em": A(2)}
    weights = {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20,
               "empathy": 20}
    result = score_visit(questions, answers, weights=weights)
    # scores 100, 50, 0, 75, 25 -> (10*100 + 30*50 + 20*0 + 20*75 + 20*25) / 100 = 45
    assert result.servqual_index == pytest.approx(45.0)
    equal = score_visit(questions, answers)
    assert equal.servqual_index == pytest.approx((100 + 50 + 0 + 75 + 25) / 5)


def test_index_renormalises_over_dimensions_with_a_score():
    questions = [Q("T", "yes_no", dimension="tangibles"), Q("R", "yes_no", dimension="reliability")]
    weights = {"tangibles": 10, "reliability": 30, "responsiveness": 20, "assurance": 20,
               "empathy": 20}
    result = score_visit(questions, {"T": A(True), "R": A(False)}, weights=weights)
    # only tangibles (100) and reliability (0) have scores: (10*100 + 30*0) / 40 = 25
    assert result.servqual_index == pytest.approx(25.0)
    only_zero_weight = score_visit(questions, {"T": A(True)},
                                   weights={**weights, "tangibles": 0})
    assert only_zero_weight.servqual_index is None


def test_kpis_of_a_visit():
    questions = [Q("NPS", "scale", points=0, min_value=0, max_value=10, kpi="nps"),
                 Q("CSAT", "scale", points=0, max_value=5, kpi="csat"),
                 Q("CES", "scale", points=0, max_value=7, kpi="ces"),
                 Q("FCR", "yes_no", kpi="fcr"),
                 Q("WAIT", "number", pass_max=60, kpi="wait_seconds", allow_na=True)]
    result = score_visit(questions, {"NPS": A(9), "CSAT": A(4), "FCR": A(False),
                                     "WAIT": A(na=True)})
    assert result.kpis == {"nps": 9, "csat": 4, "ces": None, "fcr": False, "wait_seconds": None}


def test_to_dict_shape():
    data = score_visit(STEPPED, {"P1": A(True)}).to_dict()
    assert set(data) == {"overall", "raw_overall", "critical_fail", "critical_failures",
                         "dimensions", "steps", "servqual_index", "kpis", "questions"}
    assert data["questions"][0] == {"code": "P1", "status": "scored", "earned": 1.0,
                                    "possible": 1.0}
