"""The comparison's SQL aggregation against the scoring core, the weakest questions, the
trend and the per-branch breakdown cache: exact values through `GET /api/v1/comparison`."""

from __future__ import annotations

import random

import pytest

from audit.models.visits import Answer
from audit.scoring import aggregate
from audit.visits import scores
from audit.vocabulary import DIMENSIONS

URL = "/api/v1/comparison?campaign={}"


def get(client, world, token_for, user=None, query=""):
    response = client.get(URL.format(world.campaign_a.id) + query,
                          headers=token_for(user or world.people.manager))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def assert_matches(got: dict, values: list[float | None]) -> None:
    """The API's aggregate equals the scoring core's `aggregate` of the same scores."""
    want = aggregate(values).to_dict()
    assert got["n"] == want["n"] and got["small_sample"] is want["small_sample"]
    for key in ("mean", "sd", "ci_low", "ci_high"):
        if want[key] is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1e-9), key


def test_sql_aggregation_matches_the_scoring_core(client, world, make_visit, token_for,
                                                  session):
    rng = random.Random(5)
    b0, b1, b2, b3 = world.a.branches
    written: dict[str, dict[str, list[float | None]]] = {}
    plan = {b0: 7, b1: 2, b3: 1}
    for branch, count in plan.items():
        mine = written.setdefault(branch.code, {c: [] for c in ("overall", *DIMENSIONS)})
        for _ in range(count):
            visit = make_visit(branch=branch, status="approved")
            visit.score_overall = 100 * rng.randint(0, 23) / 23  # non-integer, as real scores
            mine["overall"].append(visit.score_overall)
            for d in DIMENSIONS:
                value = None if rng.random() < 0.2 else 100 * rng.randint(0, 7) / 7
                setattr(visit, f"score_{d}", value)
                mine[d].append(value)
    for _ in range(3):  # identical non-integer scores: sd exactly 0, not rounding noise
        visit = make_visit(branch=b2, status="approved")
        visit.score_overall = visit.score_empathy = 100 / 3
    written[b2.code] = {"overall": [100 / 3] * 3, "empathy": [100 / 3] * 3}
    session.flush()

    body = get(client, world, token_for)
    rows = {r["branch"]["code"]: r for r in body["branches"]}
    for code, columns in written.items():
        assert_matches(rows[code], columns["overall"])
        for d in DIMENSIONS:
            assert_matches(rows[code]["dimensions"][d], columns.get(d, []))
    assert rows["A02"]["sd"] == 0.0
    assert rows["A02"]["ci_low"] == rows["A02"]["ci_high"] == pytest.approx(100 / 3)
    everything = [v for columns in written.values() for v in columns["overall"]]
    assert_matches(body["brand"], everything)
    assert_matches(body["scope"], everything)
    assert body["brand_dimensions"]["empathy"] == pytest.approx(aggregate(
        [v for columns in written.values() for v in columns.get("empathy", [])]).mean)
    means = sorted((aggregate(c["overall"]).mean, code) for code, c in written.items())
    assert [r["branch"]["code"] for r in body["branches"]] == [c for _, c in means[::-1]]


def test_tied_means_share_a_rank_whatever_the_summation_order(client, world, make_visit,
                                                              token_for, session):
    values = [100 * 7 / 23, 100 * 19 / 23, 100 * 11 / 23, 100 * 2 / 23]
    for branch, order in ((world.a.branches[0], values), (world.a.branches[1], values[::-1])):
        for value in order:
            make_visit(branch=branch, status="approved").score_overall = value
    session.flush()
    body = get(client, world, token_for)
    assert [r["rank"] for r in body["branches"][:2]] == [1, 1]


def answered_visit(make_visit, world, branch, answers, status="approved"):
    """A visit scored for real from answers (code -> value) through the stored breakdown."""
    visit = make_visit(branch=branch, status=status)
    questions = {q.code: q for q in world.campaign_a.checklist_version.ordered_questions()}
    for code, value in answers.items():
        visit.answers.append(Answer(question=questions[code], value=value))
    scores.store(visit)
    return visit


def test_weakest_questions_exact(client, world, make_visit, token_for, session):
    b0, b1, b2, _ = world.a.branches
    answered_visit(make_visit, world, b0, {"P1.1": True, "P2.1": False, "P1.3": False})
    answered_visit(make_visit, world, b0, {"P1.1": True, "P2.1": True, "P1.3": False})
    answered_visit(make_visit, world, b1, {"P1.1": False, "P2.1": True, "P1.3": True})
    answered_visit(make_visit, world, b2, {"P1.1": False, "P2.1": False, "P1.3": False},
                   status="submitted")
    session.flush()

    weakest = get(client, world, token_for)["weakest_questions"]
    assert [(q["code"], q["n"], q["critical_fails"]) for q in weakest] == [
        ("P1.3", 3, 0), ("P1.1", 3, 0), ("P2.1", 3, 1)]  # 1/3, 2/3, 2/3 (tie: by code)
    assert [q["mean_fraction"] for q in weakest] == pytest.approx([1 / 3, 2 / 3, 2 / 3])
    assert weakest[2] | {"text": None} == {
        "code": "P2.1", "text": None, "dimension": "empathy", "step": 2, "critical": True,
        "n": 3, "earned": 2.0, "possible": 3.0, "mean_fraction": pytest.approx(2 / 3),
        "critical_fails": 1}
    assert weakest[2]["text"]["en"] == "A staff member greeted you."

    region = world.a.regions[0]  # branches A00 and A02: A00's two published visits
    scoped = get(client, world, token_for, query=f"&region={region.id}")["weakest_questions"]
    assert [(q["code"], q["mean_fraction"], q["critical_fails"]) for q in scoped] == [
        ("P1.3", 0.0, 0), ("P2.1", 0.5, 1), ("P1.1", 1.0, 0)]
    owner = get(client, world, token_for, world.people.owner)["weakest_questions"]
    assert [q["code"] for q in owner] == ["P1.3", "P2.1", "P1.1"]

    submitted = get(client, world, token_for, query="&include_submitted=true")
    p21 = next(q for q in submitted["weakest_questions"] if q["code"] == "P2.1")
    assert (p21["n"], p21["critical_fails"], p21["mean_fraction"]) == (4, 2, 0.5)


def test_a_change_to_a_visit_refreshes_its_branch(client, world, make_visit, token_for,
                                                  session):
    visit = answered_visit(make_visit, world, world.a.branches[0], {"P1.1": False})
    answered_visit(make_visit, world, world.a.branches[1], {"P1.1": True})
    session.flush()
    assert get(client, world, token_for)["weakest_questions"][0]["mean_fraction"] == 0.5
    visit.answers[0].value = True
    scores.store(visit)
    session.flush()
    body = get(client, world, token_for)
    assert body["weakest_questions"][0]["mean_fraction"] == 1.0
    assert body["kpis"]["nps_n"] == 0


def test_kpis_and_trend_over_campaigns(client, world, make_visit, token_for, session):
    earlier = world.campaign(world.a)
    earlier.starts_on = world.campaign_a.starts_on.replace(year=world.campaign_a.starts_on.year
                                                           - 1)
    for score in (40, 60):
        visit = make_visit(branch=world.a.branches[0], status="approved", campaign=earlier)
        visit.score_overall = score
    other = make_visit(branch=world.a.branches[1], status="approved", campaign=earlier)
    other.score_overall = 90
    for score, wait in ((70, 30), (90, 90), (80, 60)):
        visit = make_visit(branch=world.a.branches[0], status="approved")
        visit.score_overall = score
        visit.scores = {"kpis": {"nps": 9, "csat": 4, "ces": 2, "fcr": score > 75,
                                 "wait_seconds": wait}}
    session.flush()

    region = world.a.regions[0]
    body = get(client, world, token_for, query=f"&region={region.id}")
    assert [t["campaign"] for t in body["trend"]] == [earlier.id, world.campaign_a.id]
    assert body["trend"][0]["scope"]["mean"] == 50.0 and body["trend"][0]["scope"]["n"] == 2
    assert body["trend"][0]["brand"]["mean"] == pytest.approx(190 / 3)
    assert body["trend"][1]["scope"]["mean"] == 80.0
    assert body["kpis"]["wait_seconds_median"] == 60.0
    assert body["kpis"]["fcr"] == pytest.approx(200 / 3)
    only = get(client, world, token_for, query=f"&trend={world.campaign_a.id}")
    assert [t["campaign"] for t in only["trend"]] == [world.campaign_a.id]
    other_brand = get(client, world, token_for, query=f"&trend={world.campaign_b.id}")
    assert other_brand["trend"] == []
