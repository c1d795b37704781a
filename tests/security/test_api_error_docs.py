"""The OpenAPI document lists each operation's client errors, each with the one error body
({"error": ..., "details": ...}); `default` is left for 5xx. The schemathesis run
(test_api_schema) holds every answer it provokes to that list; the errors it cannot
provoke (a missing token, broken JSON, a body too large, the rate limit, a conflict) are
provoked here and their real bodies validated against the document."""

from __future__ import annotations

import re

import pytest
import schemathesis

from tests.support import PASSWORD

ERROR_REF = {"$ref": "#/components/schemas/Error"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def operations(spec: dict) -> dict[str, dict]:
    """"METHOD path" -> the operation, for every operation in the document."""
    return {f"{method.upper()} {path}": operation for path, item in spec["paths"].items()
            for method, operation in item.items() if method != "parameters"}


def listed(spec: dict, code: int) -> set[str]:
    return {name for name, op in operations(spec).items() if str(code) in op["responses"]}


def test_the_error_responses_carry_the_error_schema(spec):
    assert spec["components"]["schemas"]["Error"] == {
        "type": "object", "properties": {"error": {"type": "string"}, "details": {}},
        "required": ["error"], "additionalProperties": False}
    for name, response in spec["components"]["responses"].items():
        assert response["content"] == {"application/json": {"schema": ERROR_REF}}, name
    for name, op in operations(spec).items():
        for code, response in op["responses"].items():
            if code >= "400" or code == "default":
                assert response["$ref"].startswith("#/components/responses/"), (name, code)
        assert op["responses"]["default"] == {"$ref": "#/components/responses/SERVER_ERROR"}


def test_every_operation_lists_401(spec):
    ops = operations(spec)
    assert len(ops) == 29  # with the three of /notifications (issue 16)
    assert listed(spec, 401) == set(ops)
    assert {op["responses"]["401"]["$ref"] for op in ops.values()} == {
        "#/components/responses/UNAUTHORIZED"}


def test_operations_with_ids_list_404(spec):
    with_ids = {name for name in operations(spec) if re.search(r"\{\w+_id\}", name)}
    assert len(with_ids) == 14
    # and those naming a record in the query or body (a campaign, a report's visit)
    assert listed(spec, 404) == with_ids | {
        "GET /api/v1/comparison", "GET /api/v1/portal/summary", "POST /api/v1/reports",
        "GET /api/v1/reports/comparison.pdf"}


def test_each_error_where_it_can_happen(spec):
    """Bodies: malformed (400) or too large (413); writes by cookie: no CSRF token (400);
    the token request alone is rate limited (429); 410 only for an expired report file."""
    with_body = {name for name, op in operations(spec).items() if "requestBody" in op}
    writes = {name for name in operations(spec) if not name.startswith("GET")}
    assert listed(spec, 413) == with_body == {
        "POST /api/v1/auth/token", "PUT /api/v1/visits/{visit_id}/answers",
        "POST /api/v1/visits/{visit_id}/photos", "POST /api/v1/visits/{visit_id}/disputes",
        "POST /api/v1/reports", "POST /api/v1/visits/{visit_id}/check-in"}
    assert listed(spec, 400) == writes
    assert listed(spec, 429) == {"POST /api/v1/auth/token"}
    assert listed(spec, 410) == {"GET /api/v1/reports/{report_id}/file"}
    assert listed(spec, 409) == {
        "PUT /api/v1/visits/{visit_id}/answers", "POST /api/v1/visits/{visit_id}/submit",
        "POST /api/v1/visits/{visit_id}/photos",
        "DELETE /api/v1/visits/{visit_id}/photos/{photo_id}",
        "POST /api/v1/visits/{visit_id}/disputes", "POST /api/v1/visits/{visit_id}/check-in"}
    # nothing a caller can send is refused by role on its own data lists
    assert not listed(spec, 403) & {"GET /api/v1/visits", "GET /api/v1/branches",
                                    "GET /api/v1/campaigns", "GET /api/v1/checklists",
                                    "GET /api/v1/me"}


@pytest.fixture
def documented(app):
    """Validate a real answer against the document: its status is listed for the operation
    and its body matches that status's schema (schemathesis's own validation)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    def check(method: str, path: str, response) -> dict:
        operation = schema[path][method]
        assert str(response.status_code) in operation.responses.status_codes
        operation.validate_response(response)
        return response.get_json()

    return check


def test_real_error_bodies_match_the_document(app, client, world, make_visit, token_for,
                                              documented):
    visit = make_visit()
    answers = f"/api/v1/visits/{visit.id}/answers"
    path = "/api/v1/visits/{visit_id}/answers"
    shopper = token_for(world.people.shopper)

    body = documented("GET", "/api/v1/visits", client.get("/api/v1/visits", headers=EN))
    assert body == {"error": "You need to log in."}

    broken = client.put(answers, data="{", content_type="application/json",
                        headers=shopper)
    assert broken.status_code == 400
    documented("PUT", path, broken)

    app.config["MAX_CONTENT_LENGTH"], before = 1000, app.config["MAX_CONTENT_LENGTH"]
    try:
        too_large = client.put(answers, headers=shopper,
                               json={"answers": [{"question": "STAFF", "value": "x" * 5000}]})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = before
    assert too_large.status_code == 413
    assert documented("PUT", path, too_large) == {"error": "The upload is too large."}

    invalid = client.put(answers, headers=shopper, json={"answers": [{"value": 1}]})
    assert invalid.status_code == 422
    assert set(documented("PUT", path, invalid)) == {"error", "details"}

    visit.status = "submitted"
    closed = client.put(answers, headers=shopper, json={"answers": []})
    assert closed.status_code == 409
    assert documented("PUT", path, closed) == {
        "error": "This visit is no longer open for changes."}

    other = client.put(answers, headers=token_for(world.people.other_manager),
                       json={"answers": []})
    assert other.status_code == 404
    documented("PUT", path, other)


def test_rate_limited_token_request_matches_the_document(limited_app, limited_client, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", limited_app)
    wrong = {"email": world.people.shopper.email, "password": PASSWORD + "!"}
    codes = [limited_client.post("/api/v1/auth/token", json=wrong, headers=EN).status_code
             for _ in range(2)]
    over = limited_client.post("/api/v1/auth/token", json=wrong, headers=EN)
    assert (codes, over.status_code) == ([401, 401], 429)
    schema["/api/v1/auth/token"]["POST"].validate_response(over)
    assert set(over.get_json()) == {"error"}
