"""docs/scoring.md works one visit through by hand; these are its figures, from the code."""

from __future__ import annotations

import pytest

from audit.scoring.aggregate import aggregate, rank
from audit.scoring.model import AnswerValue, Condition, QuestionSpec
from audit.scoring.visit import score_visit

QUESTIONS = [
    QuestionSpec("CLEAN", "yes_no", 2, "tangibles"),
    QuestionSpec("GREET", "yes_no", 3, "responsiveness", 2, critical=True),
    QuestionSpec("CARE", "scale", 4, "empathy", 5, min_value=1, max_value=5),
    QuestionSpec("OFFER", "choice", 2, "assurance", 4,
                 options={"full": 1, "partial": 0.5, "none": 0}),
    QuestionSpec("WAIT", "number", 2, "responsiveness", pass_min=0, pass_max=120,
                 kpi="wait_seconds"),
    QuestionSpec("RECEIPT", "yes_no", 1, "reliability", 3, allow_na=True),
    QuestionSpec("CALLBACK", "yes_no", 2, "reliability",
                 condition=Condition("OFFER", ("none",))),
]
ANSWERS = {"CLEAN": AnswerValue(True), "GREET": AnswerValue(False), "CARE": AnswerValue(4),
           "OFFER": AnswerValue("partial"), "WAIT": AnswerValue(95),
           "RECEIPT": AnswerValue(na=True)}
WEIGHTS = {"tangibles": 15, "reliability": 25, "responsiveness": 25, "assurance": 15,
           "empathy": 20}


@pytest.mark.parametrize(("policy", "overall"), [("flag", 61.5), ("zero", 0.0)])
def test_the_worked_visit(policy, overall):
    score = score_visit(QUESTIONS, ANSWERS, weights=WEIGHTS, policy=policy)
    assert round(score.overall, 1) == overall
    assert score.critical_failures == ("GREET",)
    assert {d: None if v is None else round(v, 1) for d, v in score.dimensions.items()} == {
        "tangibles": 100.0, "reliability": None, "responsiveness": 40.0,
        "assurance": 50.0, "empathy": 75.0}
    assert score.steps == {"1": None, "2": 0.0, "3": None, "4": 50.0, "5": 75.0}
    assert round(score.servqual_index, 1) == 63.3
    assert score.kpis["wait_seconds"] == 95.0
    by_code = {r.code: (r.status, r.earned, r.possible) for r in score.questions}
    assert by_code["CARE"] == ("scored", 3.0, 4.0)
    assert by_code["RECEIPT"][0] == "na" and by_code["CALLBACK"][0] == "hidden"


def test_the_worked_aggregate_and_ranks():
    summary = aggregate([100 * 8 / 13, 80.0, 90.0])
    assert (round(summary.mean, 1), round(summary.sd, 1)) == (77.2, 14.4)
    assert (round(summary.ci_low, 1), summary.ci_high) == (41.3, 100.0)
    assert rank({"A": 80.0, "B": 75.0, "C": 75.0, "D": 60.0}) == {"A": 1, "B": 2, "C": 2, "D": 4}
