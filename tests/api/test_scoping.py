"""Each role sees exactly its scope through every list endpoint (exact sets, not counts)."""

from __future__ import annotations

import pytest


def codes(client, url, headers, key="code"):
    return {row[key] for row in client.get(url, headers=headers).get_json()}


def test_branch_scope_per_role(client, world, make_visit, token_for):
    make_visit(branch=world.a.branches[2])  # the shopper's only visit
    p = world.people
    assert codes(client, "/api/v1/branches", token_for(p.admin)) == {
        "A00", "A01", "A02", "A03", "B00", "B01"}
    assert codes(client, "/api/v1/branches", token_for(p.manager)) == {"A00", "A01", "A02", "A03"}
    assert codes(client, "/api/v1/branches", token_for(p.owner)) == {"A00"}
    assert codes(client, "/api/v1/branches", token_for(p.other_owner)) == {"A01"}
    assert codes(client, "/api/v1/branches", token_for(p.shopper)) == {"A02"}
    assert codes(client, "/api/v1/branches", token_for(p.other_shopper)) == set()


def test_checklist_scope_per_role(client, world, make_visit, token_for):
    make_visit()
    p = world.people
    every = {"servqual-branch", "care-protocol-in-person", "phone-call-audit"}
    assert codes(client, "/api/v1/checklists", token_for(p.manager)) == every
    assert codes(client, "/api/v1/checklists", token_for(p.owner)) == every
    assert codes(client, "/api/v1/checklists", token_for(p.shopper)) == {"care-protocol-in-person"}
    assert codes(client, "/api/v1/checklists", token_for(p.other_shopper)) == set()
    other_brand = client.get("/api/v1/checklists", headers=token_for(p.other_manager)).get_json()
    forbidden = {c["id"] for c in other_brand}
    mine = client.get("/api/v1/checklists", headers=token_for(p.manager)).get_json()
    for checklist in mine:
        assert checklist["id"] not in forbidden
        response = client.get(f"/api/v1/checklists/{checklist['id']}",
                              headers=token_for(p.other_manager))
        assert response.status_code == 404


def test_campaign_scope_hides_other_franchisees_branch_ids(client, world, token_for):
    rows = client.get("/api/v1/campaigns", headers=token_for(world.people.owner)).get_json()
    assert [r["id"] for r in rows] == [world.campaign_a.id]
    assert rows[0]["branch_ids"] == [world.a.branches[0].id]


@pytest.mark.parametrize("status", ["assigned", "in_progress", "submitted", "returned"])
def test_owner_never_sees_unpublished(client, world, make_visit, token_for, status):
    visit = make_visit(status=status)
    headers = token_for(world.people.owner)
    assert client.get(f"/api/v1/visits/{visit.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/visits", headers=headers).get_json() == []


def test_checklist_detail_has_every_scoring_attribute(client, world, token_for):
    headers = token_for(world.people.manager)
    listed = client.get("/api/v1/checklists", headers=headers).get_json()
    servqual = next(c for c in listed if c["code"] == "servqual-branch")
    detail = client.get(f"/api/v1/checklists/{servqual['id']}", headers=headers).get_json()
    question = detail["versions"][0]["sections"][0]["questions"][0]
    assert set(question) >= {"code", "kind", "points", "dimension", "step", "factor", "critical",
                             "allow_na", "required", "condition", "min_value", "max_value",
                             "options", "pass_band", "text"}
    wait = next(q for s in detail["versions"][0]["sections"] for q in s["questions"]
                if q["code"] == "WAIT")
    assert wait["pass_band"] == {"min": 0.0, "max": 60.0}
    assert wait["kpi"] == "wait_seconds"


def test_draft_versions_only_for_managers(client, world, make_visit, token_for, session):
    from audit.models.checklists import ChecklistVersion

    make_visit()
    published = world.a.versions["care-protocol-in-person"]
    draft = ChecklistVersion(checklist=published.checklist, number=2, channel=published.channel)
    session.add(draft)
    session.flush()
    url = f"/api/v1/checklists/{published.checklist_id}"
    p = world.people

    def numbers(user):
        return [v["number"] for v in client.get(url, headers=token_for(user)).get_json()[
            "versions"]]

    assert numbers(p.manager) == [1, 2]
    assert numbers(p.admin) == [1, 2]
    assert numbers(p.owner) == [1]
    assert numbers(p.shopper) == [1]
    listed = client.get("/api/v1/checklists", headers=token_for(p.owner)).get_json()
    assert [v["number"] for c in listed if c["id"] == published.checklist_id
            for v in c["versions"]] == [1]
