"""The API answers as its OpenAPI document says (issue 13, defect 27, found by schemathesis):
a 405 lists the allowed methods; a request the document calls valid is not refused 422, and
what is refused the document calls invalid; a shopper's campaigns name only the branches of
the shopper's own visits; an address too long answers 414 in the API's format or as a page."""

from __future__ import annotations

import jsonschema
import pytest
from sqlalchemy import select

from audit.models.campaigns import Campaign
from audit.models.visits import Visit
from tests.reports.conftest import fill
from tests.support import login

EN = {"Accept-Language": "en"}


def request_schema(client, path: str, method: str) -> dict:
    """The documented JSON body of an operation as JSON Schema: $refs inlined, OpenAPI 3.0's
    `nullable` turned into a "null" type."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(schemas[node["$ref"].rsplit("/", 1)[1]])
            node = {k: inline(v) for k, v in node.items()}
            if node.pop("nullable", False) and "type" in node:
                node["type"] = [node["type"], "null"]
            return node
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    return inline(body["schema"])


def valid(schema: dict, body: dict) -> bool:
    return jsonschema.Draft7Validator(schema).is_valid(body)


@pytest.mark.parametrize("method", ["patch", "delete", "put"])
def test_405_lists_the_allowed_methods_in_the_api(client, world, token_for, method):
    response = getattr(client, method)(
        "/api/v1/me", headers={**token_for(world.people.manager), **EN}
    )
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.get_json() == {"error": "This method is not allowed here."}


def test_405_on_a_page_says_so_in_the_users_language(app, client, world):
    """A method the page does not take is a 405 with Allow, not a CSRF refusal (400)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.delete("/login", headers={"Accept-Language": "vi"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "Phương thức này không được phép ở đây." in response.get_data(as_text=True)


def test_report_request_valid_by_the_document_is_accepted(
    client, world, make_visit, session, token_for, monkeypatch
):
    monkeypatch.setattr("audit.reports.jobs.enqueue", lambda job, report_id: None)
    schema = request_schema(client, "/api/v1/reports", "post")
    visit = make_visit(branch=world.a.branches[0])
    headers = {**token_for(world.people.manager), **EN}
    refused = [
        {"kind": ""},
        {"kind": "visit"},
        {"kind": "visit", "params": {}},
        {"kind": "visit", "params": {"visit": "x"}},
        {"kind": "visit", "params": {"campaign": world.campaign_a.id}},
        {"kind": "comparison", "params": {"visit": visit.id}},
        {"kind": "visit", "params": {"visit": visit.id, "extra": 1}},
        {"kind": "visit", "params": {"visit": visit.id}, "lang": "fr"},
    ]
    for body in refused:
        assert not valid(schema, body), body
        response = client.post("/api/v1/reports", json=body, headers=headers)
        assert response.status_code == 422, (body, response.get_json())
    accepted = [
        {"kind": "visit", "params": {"visit": visit.id}},
        {"kind": "visit", "params": {"visit": visit.id}, "lang": "vi"},
        {"kind": "comparison", "params": {"campaign": world.campaign_a.id}},
        {
            "kind": "comparison",
            "params": {"campaign": world.campaign_a.id, "region": None, "franchisee": None},
        },
    ]
    for body in accepted:
        assert valid(schema, body), body
        response = client.post("/api/v1/reports", json=body, headers=headers)
        assert response.status_code == 202, (body, response.get_json())


def test_dispute_comment_the_document_allows_is_accepted(
    client, world, make_visit, session, token_for
):
    """An owner must say what is wrong (the page asks the same): the document says the
    comment needs a character that is not a space, and the answer names the field."""
    from audit.review import operations as review
    from audit.visits import operations

    schema = request_schema(client, "/api/v1/visits/{visit_id}/disputes", "post")
    visit = make_visit(branch=world.a.branches[0])
    fill(visit, world.people.shopper)
    operations.submit(visit, world.people.shopper)
    review.approve(visit, world.people.manager, visit.revision)
    session.commit()
    headers = {**token_for(world.people.owner), **EN}
    url = f"/api/v1/visits/{visit.id}/disputes"
    for comment in ("", "   ", "\n\t"):
        body = {"question": "P1.1", "comment": comment}
        assert not valid(schema, body), body
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 422
        assert response.get_json()["details"] == {"comment": "Say what is wrong with this answer."}
    body = {"question": "P1.1", "comment": " x "}
    assert valid(schema, body)
    assert client.post(url, json=body, headers=headers).status_code == 201


def test_shopper_sees_only_the_branches_of_own_visits(
    client, world, make_visit, session, token_for
):
    """The shopper has visits at branches 0 and 1 in campaign A, and at branch 2 in
    campaign B of the same brand, which also covers branches 0 to 3."""
    shopper = world.people.shopper
    a0, a1, a2, _a3 = world.a.branches
    make_visit(branch=a0, shopper=shopper)
    make_visit(branch=a1, shopper=shopper)
    make_visit(branch=a2, shopper=world.people.other_shopper)
    second = world.campaign(world.a, code="care-protocol-in-person")
    make_visit(branch=a2, shopper=shopper, campaign=second)
    make_visit(branch=a0, shopper=world.people.other_shopper, campaign=second)
    session.commit()
    rows = client.get("/api/v1/campaigns", headers=token_for(shopper)).get_json()
    shown = {row["id"]: row["branch_ids"] for row in rows}
    assert shown == {world.campaign_a.id: [a0.id, a1.id], second.id: [a2.id]}
    mine = set(session.scalars(select(Visit.campaign_id).where(Visit.shopper_id == shopper.id)))
    assert set(shown) == mine
    manager = client.get("/api/v1/campaigns", headers=token_for(world.people.manager)).get_json()
    every = {c.id: sorted(b.id for b in c.branches) for c in session.scalars(select(Campaign))}
    assert all(row["branch_ids"] == every[row["id"]] for row in manager)


def test_too_long_address_answers_414_in_each_format(client, world, token_for):
    long = "x" * 5000
    api = client.get(f"/api/v1/visits?q={long}", headers={**token_for(world.people.manager), **EN})
    assert api.status_code == 414
    assert api.get_json() == {"error": "The address is too long."}
    login(client, world.people.manager)
    page = client.get(f"/visits?q={long}", headers={"Accept-Language": "vi"})
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert "Địa chỉ quá dài." in page.get_data(as_text=True)
    assert client.get("/?q=" + "x" * 3000).status_code == 200
