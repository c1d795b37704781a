"""Branch comparison numbers: exact aggregates, shared ranks, scope and publication rules."""

from __future__ import annotations

import pytest

from audit.vocabulary import DIMENSIONS


def scored_visit(make_visit, branch, score, status="approved", tangibles=None):
    """A visit with stored scores set directly (the comparison reads stored scores)."""
    visit = make_visit(branch=branch, status=status)
    visit.score_overall = score
    visit.score_tangibles = tangibles
    visit.scores = {"kpis": {"nps": 10 if score >= 80 else 3, "csat": 5, "ces": 2, "fcr": True,
                             "wait_seconds": 30}}
    return visit


def test_comparison_exact_aggregates_and_ties(client, world, make_visit, token_for, session):
    b0, b1, b2, b3 = world.a.branches
    for score in (70, 80, 90):
        scored_visit(make_visit, b0, score, tangibles=50)
    for score in (80, 80):
        scored_visit(make_visit, b1, score)
    scored_visit(make_visit, b2, 80)
    scored_visit(make_visit, b3, 95, status="submitted")  # not published: not counted
    session.flush()
    body = client.get(f"/api/v1/comparison?campaign={world.campaign_a.id}",
                      headers=token_for(world.people.manager)).get_json()
    rows = {r["branch"]["code"]: r for r in body["branches"]}
    assert rows["A00"]["n"] == 3
    assert rows["A00"]["mean"] == pytest.approx(80.0)
    assert rows["A00"]["sd"] == pytest.approx(10.0)
    half = 4.302652729911275 * 10 / 3 ** 0.5
    assert rows["A00"]["ci_low"] == pytest.approx(80 - half)
    assert rows["A00"]["ci_high"] == 100.0  # 80 + 24.8 clipped to [0, 100]
    assert rows["A00"]["small_sample"] is False
    assert rows["A01"]["small_sample"] is True and rows["A01"]["sd"] == pytest.approx(0.0)
    assert rows["A02"]["n"] == 1 and rows["A02"]["ci_low"] is None
    assert rows["A03"]["n"] == 0 and rows["A03"]["mean"] is None and rows["A03"]["rank"] is None
    assert [rows[c]["rank"] for c in ("A00", "A01", "A02")] == [1, 1, 1]
    assert rows["A00"]["dimensions"]["tangibles"]["mean"] == pytest.approx(50.0)
    assert rows["A00"]["dimensions"]["tangibles"]["rank"] == 1
    assert rows["A01"]["dimensions"]["tangibles"]["rank"] is None
    assert set(rows["A00"]["dimensions"]) == set(DIMENSIONS)
    assert set(rows["A00"]["steps"]) == {"1", "2", "3", "4", "5"}
    assert body["brand"]["n"] == 6 and body["brand"]["mean"] == pytest.approx(80.0)
    # NPS answers 3, 10, 10, 10, 10, 10: 5 promoters and 1 detractor of 6.
    assert body["kpis"]["nps"] == pytest.approx(100 * 5 / 6 - 100 * 1 / 6)


def test_ranks_share_and_skip(client, world, make_visit, token_for, session):
    b0, b1, b2, b3 = world.a.branches
    for branch, score in ((b0, 90), (b1, 80), (b2, 80), (b3, 70)):
        scored_visit(make_visit, branch, score)
    session.flush()
    body = client.get(f"/api/v1/comparison?campaign={world.campaign_a.id}",
                      headers=token_for(world.people.manager)).get_json()
    assert [(r["branch"]["code"], r["rank"]) for r in body["branches"]] == [
        ("A00", 1), ("A01", 2), ("A02", 2), ("A03", 4)]


def test_manager_may_include_submitted_visits(client, world, make_visit, token_for, session):
    scored_visit(make_visit, world.a.branches[3], 95, status="submitted")
    session.flush()
    url = f"/api/v1/comparison?campaign={world.campaign_a.id}&include_submitted=true"
    body = client.get(url, headers=token_for(world.people.manager)).get_json()
    assert body["include_submitted"] is True
    row = next(r for r in body["branches"] if r["branch"]["code"] == "A03")
    assert row["n"] == 1
    owner = client.get(url, headers=token_for(world.people.owner)).get_json()
    assert owner["include_submitted"] is False


def test_owner_sees_own_branches_and_brand_average_only(client, world, make_visit, token_for,
                                                        session):
    b0, b1, *_ = world.a.branches
    scored_visit(make_visit, b0, 60)
    scored_visit(make_visit, b1, 100)
    session.flush()
    response = client.get(f"/api/v1/comparison?campaign={world.campaign_a.id}",
                          headers=token_for(world.people.owner))
    body = response.get_json()
    assert [r["branch"]["code"] for r in body["branches"]] == ["A00"]
    assert body["brand"]["mean"] == pytest.approx(80.0)
    assert world.a.branches[1].name not in response.get_data(as_text=True)


def test_comparison_scope_by_region(client, world, make_visit, token_for, session):
    region = world.a.regions[1]
    body = client.get(f"/api/v1/comparison?campaign={world.campaign_a.id}&region={region.id}",
                      headers=token_for(world.people.manager)).get_json()
    assert {r["branch"]["code"] for r in body["branches"]} == {"A01", "A03"}


def test_comparison_of_another_brand_is_404(client, world, token_for):
    response = client.get(f"/api/v1/comparison?campaign={world.campaign_b.id}",
                          headers=token_for(world.people.manager))
    assert response.status_code == 404
    missing = client.get("/api/v1/comparison", headers=token_for(world.people.manager))
    assert missing.status_code == 422
