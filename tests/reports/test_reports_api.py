"""The reports API: request (202) and poll, library scope per role, files, the direct
visit and comparison PDFs, exports, errors in the caller's language, OpenAPI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.reports import Report
from tests.reports.conftest import score_visit


def test_request_poll_and_download(file_store, client, world, session, fake_kinds, token_for):
    headers = token_for(world.people.manager)
    response = client.post("/api/v1/reports", headers=headers, json={
        "kind": "comparison", "params": {"campaign": world.campaign_a.id}, "lang": "en"})
    assert response.status_code == 202
    body = response.get_json()
    report = session.get(Report, body["id"])
    assert body["status_url"] == f"/api/v1/reports/{report.id}"
    assert body["params"] == {"campaign": world.campaign_a.id, "region": None,
                              "franchisee": None}
    polled = client.get(body["status_url"], headers=headers).get_json()
    assert (polled["status"], polled["progress"]) == ("done", 100)  # inline back end in tests
    assert polled["file_url"] == f"/api/v1/reports/{report.id}/file"
    file = client.get(polled["file_url"], headers=headers)
    assert file.status_code == 200 and file.data.startswith(b"%PDF-fake en")
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert file_store.get(session.get(Report, report.id).storage_key) == file.data


def test_request_errors_in_the_callers_language(client, world, fake_kinds, token_for):
    vi = token_for(world.people.manager, lang="vi")
    unknown = client.post("/api/v1/reports", headers=vi, json={"kind": "nope", "lang": "vi"})
    assert unknown.status_code == 422
    assert unknown.get_json()["error"] != "This kind of report does not exist."
    en = token_for(world.people.manager)
    assert client.post("/api/v1/reports", headers=en, json={
        "kind": "nope", "lang": "en"}).get_json()["error"] == "This kind of report does not exist."
    forged = client.post("/api/v1/reports", headers=en, json={
        "kind": "comparison", "params": {"campaign": world.campaign_b.id}, "lang": "en"})
    assert forged.status_code == 404 and forged.get_json() == {"error": "Not found."}
    shopper = client.post("/api/v1/reports", headers=token_for(world.people.shopper), json={
        "kind": "comparison", "params": {"campaign": world.campaign_a.id}, "lang": "en"})
    assert shopper.status_code == 403


@pytest.mark.parametrize(("who", "listed", "status"), [
    ("admin", 2, 200), ("manager", 2, 200), ("other_manager", 0, 404), ("owner", 1, 200),
    ("other_owner", 0, 404), ("shopper", None, 403),
])
def test_library_scope_per_role(client, world, session, token_for, who, listed, status):
    for requester in ("manager", "owner"):
        session.add(Report(kind="comparison", params={"campaign": world.campaign_a.id},
                           lang="en", brand_id=world.a.brand.id,
                           requested_by=getattr(world.people, requester)))
    session.flush()
    owners = session.scalars(select(Report.id).order_by(Report.id.desc())).first()
    headers = token_for(getattr(world.people, who))
    response = client.get("/api/v1/reports", headers=headers)
    if listed is None:
        assert response.status_code == 403
    else:
        assert len(response.get_json()) == listed
    assert client.get(f"/api/v1/reports/{owners}", headers=headers).status_code == status


def test_direct_visit_pdf(client, world, session, make_visit, fake_kinds, token_for):
    visit = make_visit()
    score_visit(visit, world.people.shopper)
    response = client.get(f"/api/v1/reports/visits/{visit.id}.pdf?lang=vi",
                          headers=token_for(world.people.manager))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-fake vi")
    # the owner may not see a visit that is not published yet; another brand never
    for who in ("owner", "other_manager"):
        assert client.get(f"/api/v1/reports/visits/{visit.id}.pdf",
                          headers=token_for(getattr(world.people, who))).status_code == 404


def test_direct_comparison_pdf(client, world, session, fake_kinds, token_for):
    url = (f"/api/v1/reports/comparison.pdf?campaign={world.campaign_a.id}"
           f"&region={world.a.regions[0].id}&lang=en")
    response = client.get(url, headers=token_for(world.people.manager))
    assert response.status_code == 200
    report = session.scalars(select(Report)).one()
    assert report.params == {"campaign": world.campaign_a.id, "region": world.a.regions[0].id,
                             "franchisee": None}
    missing = client.get("/api/v1/reports/comparison.pdf", headers=token_for(
        world.people.manager))
    assert missing.status_code == 422


def test_export_over_the_api(client, world, token_for):
    headers = token_for(world.people.owner)
    response = client.get(f"/api/v1/reports/exports/{world.campaign_a.id}.csv?lang=en",
                          headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert client.get(f"/api/v1/reports/exports/{world.campaign_b.id}.xlsx",
                      headers=headers).status_code == 404


def test_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/reports", "/api/v1/reports/{report_id}",
                 "/api/v1/reports/{report_id}/file", "/api/v1/reports/visits/{visit_id}.pdf",
                 "/api/v1/reports/comparison.pdf", "/api/v1/reports/exports/{campaign_id}.{fmt}"):
        assert path in paths
