"""One way to render a report now or refuse: the page's PDF download, the library's
synchronous kinds and the API's direct PDFs all go through operations.render_or_refuse, so a
render whose subject went out of scope answers 404 and any other failure 500 everywhere
(the API with the report's message; the library page says it and keeps the report)."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from audit.errors import OutOfScope
from audit.models.reports import Report
from audit.reports import operations, registry
from tests.support import login


def _gone(user, params, lang, progress) -> bytes:
    raise OutOfScope


def _exploding(user, params, lang, progress) -> bytes:
    raise RuntimeError("renderer exploded")


FAILURES = {"out_of_scope": (_gone, 404), "failed": (_exploding, 500)}


@pytest.fixture(params=sorted(FAILURES))
def failing_visit_kind(request, fake_kinds):
    """The visit kind, failing while it renders (after the request's scope check passed)."""
    renderer, status = FAILURES[request.param]
    registry.register(registry.ReportKind("visit", renderer))
    return request.param, status


def test_render_or_refuse_raises_with_the_report(world, session, make_visit,
                                                 failing_visit_kind):
    error, status = failing_visit_kind
    visit = make_visit()
    with pytest.raises(operations.ReportNotMade) as refused:
        operations.render_or_refuse(world.people.manager, "visit", {"visit": visit.id}, "en")
    assert refused.value.status == status
    assert refused.value.report.status == "failed"
    assert refused.value.report.error.startswith(error)


def test_the_page_download_answers_the_status(client, world, session, make_visit,
                                              failing_visit_kind):
    _error, status = failing_visit_kind
    login(client, world.people.manager)
    response = client.get(f"/reports/visits/{make_visit().id}.pdf",
                          headers={"Accept-Language": "en"})
    assert response.status_code == status
    assert f"<h1>{status}</h1>" in response.get_data(as_text=True)


def test_the_api_answers_the_status_with_the_reports_message(client, world, session, make_visit,
                                                             failing_visit_kind, token_for):
    _error, status = failing_visit_kind
    response = client.get(f"/api/v1/reports/visits/{make_visit().id}.pdf",
                          headers=token_for(world.people.manager, "en"))
    assert response.status_code == status
    report = session.scalars(select(Report)).one()
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        message = operations.error_message(report)
    assert response.get_json() == {"error": message}
    assert message.startswith("The report")


def test_the_library_page_keeps_the_report_and_says_why(client, world, session, make_visit,
                                                        failing_visit_kind):
    login(client, world.people.manager)
    response = client.post("/reports", data={"kind": "visit", "visit": make_visit().id,
                                             "lang": "en"}, headers={"Accept-Language": "en"})
    report = session.scalars(select(Report)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#report-{report.id}")
    assert report.status == "failed"
    page = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        message = operations.error_message(report)
    assert str(escape(message)) in page
