"""Hypothesis properties of the scoring core: bounds, N/A neutrality, order independence."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.scoring import DIMENSIONS, AnswerValue, QuestionSpec, aggregate, rank, score_visit

KINDS = st.sampled_from(["yes_no", "scale", "choice", "number", "text"])


@st.composite
def visits(draw):
    """A random checklist with random valid answers."""
    count = draw(st.integers(1, 12))
    questions, answers = [], {}
    for i in range(count):
        kind = draw(KINDS)
        spec = QuestionSpec(
            code=f"Q{i}", kind=kind,
            points=draw(st.sampled_from([0, 0.5, 1, 2, 3])),
            dimension=draw(st.sampled_from([None, *DIMENSIONS])),
            step=draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
            critical=draw(st.booleans()),
            allow_na=draw(st.booleans()),
            max_value=draw(st.integers(2, 10)) if kind == "scale" else None,
            pass_min=0 if kind == "number" else None,
            pass_max=60 if kind == "number" else None,
            no_passes=draw(st.booleans()) if kind == "yes_no" else False,
            options={"a": 1.0, "b": draw(st.floats(0, 1)), "c": 0.0} if kind == "choice" else {},
        )
        questions.append(spec)
        if draw(st.booleans()):
            if spec.allow_na and draw(st.booleans()):
                answers[spec.code] = AnswerValue(na=True)
            else:
                answers[spec.code] = AnswerValue(value=_value(draw, spec))
    return questions, answers


def _value(draw, spec):
    if spec.kind == "yes_no":
        return draw(st.booleans())
    if spec.kind == "scale":
        return draw(st.integers(1, int(spec.max_value)))
    if spec.kind == "choice":
        return draw(st.sampled_from(["a", "b", "c"]))
    if spec.kind == "number":
        return draw(st.floats(0, 500, allow_nan=False))
    return "text"


def _all_scores(result):
    return [result.overall, result.raw_overall, result.servqual_index,
            *result.dimensions.values(), *result.steps.values()]


WEIGHTS = st.fixed_dictionaries({d: st.integers(0, 100) for d in DIMENSIONS})


@settings(max_examples=200, deadline=None)
@given(visits(), st.sampled_from(["zero", "flag"]), WEIGHTS)
def test_scores_stay_within_0_and_100(visit, policy, weights):
    questions, answers = visit
    result = score_visit(questions, answers, weights=weights, policy=policy)
    for score in _all_scores(result):
        assert score is None or -1e-9 <= score <= 100 + 1e-9


@settings(max_examples=200, deadline=None)
@given(visits(), st.integers(1, 5))
def test_extra_na_answers_never_change_a_score(visit, extra):
    questions, answers = visit
    before = score_visit(questions, answers)
    more = [QuestionSpec(f"NA{i}", "yes_no", points=3, allow_na=True, critical=True,
                         dimension=DIMENSIONS[i % 5], step=1 + i % 5) for i in range(extra)]
    after = score_visit([*questions, *more],
                        {**answers, **{q.code: AnswerValue(na=True) for q in more}})
    assert _all_scores(after) == _all_scores(before)
    assert after.critical_fail == before.critical_fail


@settings(max_examples=200, deadline=None)
@given(visits(), st.randoms(use_true_random=False))
def test_permuting_questions_and_answers_changes_nothing(visit, rnd):
    questions, answers = visit
    before = score_visit(questions, answers)
    shuffled = list(questions)
    rnd.shuffle(shuffled)
    items = list(answers.items())
    rnd.shuffle(items)
    after = score_visit(shuffled, dict(items))
    assert after.overall == before.overall or abs(after.overall - before.overall) < 1e-9
    for a, b in zip(_all_scores(after), _all_scores(before), strict=True):
        assert (a is None and b is None) or abs(a - b) < 1e-9
    assert after.critical_failures == before.critical_failures


@settings(max_examples=100, deadline=None)
@given(visits(), st.sampled_from([0.5, 2, 10]))
def test_scaling_all_points_changes_nothing(visit, factor):
    questions, answers = visit
    before = score_visit(questions, answers)
    scaled = [QuestionSpec(**{**q.__dict__, "points": q.points * factor}) for q in questions]
    after = score_visit(scaled, answers)
    for a, b in zip(_all_scores(after), _all_scores(before), strict=True):
        assert (a is None and b is None) or abs(a - b) < 1e-9


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), max_size=30))
def test_interval_contains_the_mean_and_stays_in_bounds(values):
    result = aggregate(values)
    present = [v for v in values if v is not None]
    assert result.n == len(present)
    if result.ci_low is not None:
        assert 0 <= result.ci_low <= result.mean + 1e-9 <= result.ci_high + 2e-9 <= 100 + 3e-9
    assert result.small_sample == (len(present) < 3)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=3), st.one_of(st.none(), st.floats(0, 100)),
                       max_size=12))
def test_rank_is_order_independent_and_competition_style(scores):
    ranks = rank(scores)
    items = list(scores.items())
    random.Random(1).shuffle(items)
    assert rank(dict(items)) == ranks
    for key, value in scores.items():
        if value is None:
            assert ranks[key] is None
        else:
            assert ranks[key] == 1 + sum(1 for v in scores.values() if v is not None and v > value)
