"""The report library in Chromium: a report requested from the page shows its progress,
which the page polls without reloading, and the download link replaces the bar when the
file is ready. The job back end is "manual" so the test decides when the job moves."""

from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import select, update

from audit import create_app
from audit.demo.generator import load
from audit.extensions import db
from audit.models.reports import Report
from audit.reports.operations import run_report
from tests.browser.test_manager_flow import manager_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The demo data set, with report jobs left queued until the test runs them."""
    root = tmp_path_factory.mktemp("library")
    app = create_app({
        "AUDIT_ENV": "testing", "TESTING": True, "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.db'}",
        "PHOTO_ROOT": str(root / "photos"), "SECRET_KEY": "browser-tests",
        "REPORTS_BACKEND": "manual",
    })
    with app.app_context():
        flask_migrate.upgrade()
        load(seed=11)
    return app


def test_progress_is_polled_and_the_download_link_appears(live_app, live_server, desktop):
    page = manager_page(desktop, live_server)
    page.goto(f"{live_server}/reports")
    page.select_option("#r-lang", "en")
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_url("**/reports#report-*")
    report_id = int(page.url.rsplit("-", 1)[1])
    row = page.locator(f"#report-{report_id}")
    assert row.locator("progress").get_attribute("value") == "0"
    page.evaluate("window.__samePage = true")  # gone if the page reloads

    with live_app.app_context():  # the job reports progress: the bar follows
        db.session.execute(update(Report).where(Report.id == report_id).values(progress=40))
        db.session.commit()
    expect(row.locator("progress")).to_have_attribute("value", "40", timeout=10_000)

    with live_app.app_context():  # the job finishes: the link replaces the bar
        run_report(report_id)
        status = db.session.scalar(select(Report.status).where(Report.id == report_id))
    assert status == "done"
    link = row.locator("a.button[download]")
    link.wait_for(timeout=10_000)
    assert row.locator("progress").count() == 0
    assert page.evaluate("window.__samePage") is True
    assert row.get_attribute("data-status-url") is None  # polling stops for this row

    response = page.request.get(live_server + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
