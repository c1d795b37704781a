"""Filling, submitting and reading visits through the API, with the access rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit.models.auditlog import AuditLog
from audit.models.visits import Answer

SERVQUAL_CODES = ["T1", "T2", "T3", "T4", "R1", "R2", "R3", "R4", "R5", "RS1", "RS2", "RS3",
                  "RS4", "A1", "A2", "A3", "A4", "E1", "E2", "E3", "E4", "E5"]


def servqual_answers(statement: int, fcr: bool, wait: int) -> list[dict]:
    """All 22 statements at one value, the KPI questions, FCR and the greeting wait."""
    answers = [{"question": code, "value": statement} for code in SERVQUAL_CODES]
    return answers + [{"question": "FCR", "value": fcr}, {"question": "WAIT", "value": wait},
                      {"question": "NPS", "value": 9}, {"question": "CSAT", "value": 4},
                      {"question": "CES", "value": 2}]


def perfect_value(question: dict):
    """An answer that earns the question's full points."""
    kind = question["kind"]
    if kind == "yes_no":
        return not question["no_passes"]
    if kind == "scale":
        return int(question["max_value"])
    if kind == "choice":
        return max(question["options"], key=lambda o: o["fraction"])["value"]
    if kind == "number":
        band = question["pass_band"] or {}
        low = band.get("min")
        return low if low is not None else (question["min_value"] or 0)
    if kind == "text":
        return "Nhân viên thân thiện."
    if kind == "time":
        return "10:30"
    if kind == "date":
        return "2026-11-20"
    return None


def checklist_questions(client, headers, visit_json):
    """The questions of the visit's checklist version, read through the API."""
    checklists = client.get("/api/v1/checklists", headers=headers).get_json()
    for checklist in checklists:
        for version in checklist["versions"]:
            if version["id"] == visit_json["checklist_version_id"]:
                detail = client.get(f"/api/v1/checklists/{checklist['id']}",
                                    headers=headers).get_json()
                full = next(v for v in detail["versions"] if v["id"] == version["id"])
                return [q for s in full["sections"] for q in s["questions"]]
    raise AssertionError("checklist version not visible")


def test_shopper_fills_and_submits_through_the_api(client, world, make_visit, token_for,
                                                   session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    visit_json = client.get(f"/api/v1/visits/{visit.id}", headers=headers).get_json()
    assert visit_json["status"] == "assigned"
    assert "scores" not in visit_json  # nothing scored yet
    questions = checklist_questions(client, headers, visit_json)
    answers = [{"question": q["code"], "value": perfect_value(q)} for q in questions
               if perfect_value(q) is not None and not q["condition"]]

    saved = client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": answers},
                       headers=headers)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["status"] == "in_progress"
    # The brand does not record staff names (the default): STAFF is left out, and said so.
    assert saved.get_json()["ignored"] == {
        "STAFF": "Not saved: this brand does not record staff names or descriptions."}
    again = client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": answers},
                       headers=headers)
    assert again.status_code == 200
    assert session.scalar(select(func.count()).select_from(Answer)
                          .where(Answer.visit_id == visit.id)) == len(answers) - 1

    submitted = client.post(f"/api/v1/visits/{visit.id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"
    repeat = client.post(f"/api/v1/visits/{visit.id}/submit", headers=headers)
    assert repeat.status_code == 200
    assert repeat.get_json()["status"] == "submitted"
    assert repeat.get_json()["scores"] == submitted.get_json()["scores"]
    own = client.get(f"/api/v1/visits/{visit.id}", headers=headers).get_json()
    assert own["scores"]["overall"] == 100.0  # the shopper reads their report's stored scores
    moves = session.scalars(select(AuditLog.new_value).where(
        AuditLog.entity == "visit", AuditLog.entity_id == visit.id)).all()
    assert moves == ["in_progress", "submitted"]

    manager_view = client.get(f"/api/v1/visits/{visit.id}",
                              headers=token_for(world.people.manager)).get_json()
    scores = manager_view["scores"]
    assert scores["overall"] == 100.0
    assert scores["critical_fail"] is False
    assert set(scores["dimensions"]) == {"tangibles", "reliability", "responsiveness",
                                         "assurance", "empathy"}
    assert set(scores["steps"]) == {"1", "2", "3", "4", "5"}
    assert all(v == 100.0 for v in scores["steps"].values())
    assert scores["basis"]["critical_policy"] == "zero"
    assert manager_view["shopper"]["name"] == "Nguyễn Bí Mật"


def test_servqual_visit_exact_score(client, world, make_visit, token_for, session):
    campaign = world.campaign(world.a, "servqual-branch")
    visit = make_visit(campaign=campaign)
    headers = token_for(world.people.shopper)
    answers = servqual_answers(4, fcr=False, wait=120)
    assert client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": answers},
                      headers=headers).status_code == 200
    assert client.post(f"/api/v1/visits/{visit.id}/submit", headers=headers).status_code == 200
    scores = client.get(f"/api/v1/visits/{visit.id}",
                        headers=token_for(world.people.manager)).get_json()["scores"]
    # 22 statements at 4 on 1..7 earn (4-1)/6 = 0.5 point each; FCR "no" and a 120 s wait
    # (pass band 0-60) earn 0 of 1 each: 11 / 24.
    assert scores["overall"] == pytest.approx(100 * 11 / 24)
    assert scores["dimensions"]["tangibles"] == pytest.approx(50.0)
    assert scores["dimensions"]["reliability"] == pytest.approx(100 * 2.5 / 6)
    assert scores["dimensions"]["responsiveness"] == pytest.approx(100 * 2 / 5)
    assert scores["kpis"]["nps"] == 9
    assert scores["kpis"]["fcr"] is False
    assert all(v is None for v in scores["steps"].values())


def test_invalid_answers_are_422_and_nothing_is_saved(client, world, make_visit, token_for,
                                                      session):
    campaign = world.campaign(world.a, "servqual-branch")
    visit = make_visit(campaign=campaign)
    headers = token_for(world.people.shopper)
    response = client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers, json={
        "answers": [{"question": "T1", "value": 5}, {"question": "T2", "value": 9},
                    {"question": "NOPE", "value": 1}, {"question": "T3", "na": True}]})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body["details"]) == {"T2", "NOPE", "T3"}
    assert body["details"]["T2"] == "Give a value from 1 to 7."
    assert session.scalar(select(func.count()).select_from(Answer)
                          .where(Answer.visit_id == visit.id)) == 0


def test_submit_lists_missing_required_answers(client, world, make_visit, token_for):
    campaign = world.campaign(world.a, "servqual-branch")
    visit = make_visit(campaign=campaign)
    headers = token_for(world.people.shopper)
    client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers,
               json={"answers": [{"question": "T1", "value": 5}]})
    response = client.post(f"/api/v1/visits/{visit.id}/submit", headers=headers)
    assert response.status_code == 422
    missing = response.get_json()["details"]["missing"]
    assert "T2" in missing and "T1" not in missing and "NOTES" not in missing


def test_submitted_visit_is_read_only_for_the_shopper(client, world, make_visit, token_for):
    visit = make_visit(status="submitted")
    response = client.put(f"/api/v1/visits/{visit.id}/answers",
                          headers=token_for(world.people.shopper),
                          json={"answers": [{"question": "P1.1", "value": True}]})
    assert response.status_code == 409


def test_shopper_cannot_read_another_shoppers_visit(client, world, make_visit, token_for):
    theirs = make_visit(shopper=world.people.other_shopper)
    headers = token_for(world.people.shopper)
    assert client.get(f"/api/v1/visits/{theirs.id}", headers=headers).status_code == 404
    put = client.put(f"/api/v1/visits/{theirs.id}/answers", headers=headers,
                     json={"answers": [{"question": "P1.1", "value": True}]})
    assert put.status_code == 404
    listed = client.get("/api/v1/visits", headers=headers).get_json()
    assert theirs.id not in {v["id"] for v in listed}


def test_owner_sees_only_published_visits_of_own_branches_without_shopper(
        client, world, make_visit, token_for):
    own_branch, other_branch = world.a.branches[0], world.a.branches[1]
    published = make_visit(branch=own_branch, status="approved")
    unpublished = make_visit(branch=own_branch, status="submitted")
    elsewhere = make_visit(branch=other_branch, status="approved")
    headers = token_for(world.people.owner)
    listed = client.get("/api/v1/visits", headers=headers).get_json()
    assert [v["id"] for v in listed] == [published.id]
    assert "shopper" not in listed[0]
    detail = client.get(f"/api/v1/visits/{published.id}", headers=headers)
    assert detail.status_code == 200
    assert "shopper" not in detail.get_json()
    assert "Nguyễn Bí Mật" not in detail.get_data(as_text=True)
    assert client.get(f"/api/v1/visits/{unpublished.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/visits/{elsewhere.id}", headers=headers).status_code == 404


def test_manager_of_another_brand_sees_nothing(client, world, make_visit, token_for):
    visit = make_visit(status="approved")
    headers = token_for(world.people.other_manager)
    assert client.get(f"/api/v1/visits/{visit.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/visits", headers=headers).get_json() == []
    branch_codes = {b["code"] for b in client.get("/api/v1/branches", headers=headers).get_json()}
    assert branch_codes == {"B00", "B01"}
    campaign_ids = {c["id"] for c in client.get("/api/v1/campaigns", headers=headers).get_json()}
    assert campaign_ids == {world.campaign_b.id}


def test_visit_filters(client, world, make_visit, token_for):
    a0, a1 = world.a.branches[0], world.a.branches[1]
    v1 = make_visit(branch=a0, status="approved")
    v2 = make_visit(branch=a1, status="submitted")
    headers = token_for(world.people.manager)
    by_branch = client.get(f"/api/v1/visits?branch={a1.id}", headers=headers).get_json()
    assert [v["id"] for v in by_branch] == [v2.id]
    by_status = client.get("/api/v1/visits?status=approved", headers=headers).get_json()
    assert [v["id"] for v in by_status] == [v1.id]
    bad = client.get("/api/v1/visits?status=bogus", headers=headers)
    assert bad.status_code == 422


def test_shopper_cannot_read_branch_comparisons(client, world, make_visit, token_for):
    make_visit()
    response = client.get(f"/api/v1/comparison?campaign={world.campaign_a.id}",
                          headers=token_for(world.people.shopper))
    assert response.status_code == 403


def test_scores_are_recomputed_when_a_returned_visit_changes(client, world, make_visit,
                                                             token_for, session):
    from audit.visits import lifecycle

    campaign = world.campaign(world.a, "servqual-branch")
    visit = make_visit(campaign=campaign)
    headers = token_for(world.people.shopper)
    answers = servqual_answers(7, fcr=True, wait=10)
    client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": answers}, headers=headers)
    client.post(f"/api/v1/visits/{visit.id}/submit", headers=headers)
    assert visit.score_overall == 100.0
    lifecycle.move(visit, "returned", world.people.manager, reason="check WAIT")
    session.commit()
    response = client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers,
                          json={"answers": [{"question": "WAIT", "value": 300}]})
    assert response.status_code == 200
    session.refresh(visit)
    assert visit.score_overall == pytest.approx(100 * 23 / 24)  # the wait now fails
    assert visit.score_responsiveness == pytest.approx(100 * 4 / 5)
    assert visit.scores["overall"] == visit.score_overall
