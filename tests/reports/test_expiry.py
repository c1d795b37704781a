"""Old report files: after REPORT_KEEP_DAYS a finished report's file is deleted and the report
marked expired; the library shows it with "generate again", downloads say why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.evidence import expiry
from audit.models.auditlog import AuditLog
from audit.models.reports import Report
from tests.support import login


@pytest.fixture
def reports(file_store, world, session):
    """Finished reports 31 and 29 days old with files, an old failed one, a fresh queued one."""
    now = utcnow()
    rows = {}
    for name, status, age in (("old", "done", 31), ("recent", "done", 29),
                              ("failed", "failed", 40), ("queued", "queued", 0)):
        report = Report(kind="comparison", lang="vi", status=status,
                        params={"campaign": world.campaign_a.id, "region": None,
                                "franchisee": None},
                        brand_id=world.a.brand.id, requested_by=world.people.manager,
                        created_at=now - timedelta(days=age),
                        finished_at=now - timedelta(days=age) if status != "queued" else None,
                        filename=f"{name}.pdf")
        if status == "done":
            report.storage_key, report.size_bytes = f"reports/{name}/file.pdf", 5
            file_store.put(report.storage_key, b"%PDF-")
        session.add(report)
        rows[name] = report
    session.commit()
    return rows


def test_files_past_the_keep_period_are_deleted_and_their_reports_expired(reports, file_store,
                                                                         session):
    assert expiry.expire(file_store, 30, dry_run=True) == (1, 5)
    assert reports["old"].status == "done" and file_store.exists("reports/old/file.pdf")
    assert expiry.expire(file_store, 30) == (1, 5)
    old = session.get(Report, reports["old"].id)
    assert (old.status, old.storage_key) == ("expired", None)
    assert old.expired_at is not None and old.expired_at > old.finished_at
    assert list(file_store.keys("reports/")) == ["reports/recent/file.pdf"]
    assert [session.get(Report, reports[n].id).status for n in ("recent", "failed", "queued")] \
        == ["done", "failed", "queued"]
    logged = session.scalars(select(AuditLog).where(AuditLog.entity == "report",
                                                    AuditLog.entity_id == old.id)).one()
    assert (logged.action, logged.actor_id, logged.new_value) == ("expired", None, "expired")
    assert expiry.expire(file_store, 30) == (0, 0)  # nothing twice
    assert expiry.expire(file_store, 0) == (0, 0)  # 0 keeps for ever
    assert expiry.expire(file_store, 28) == (1, 5)


def test_library_shows_expired_with_generate_again(client, world, reports, file_store,
                                                   session, fake_kinds):
    expiry.expire(file_store, 30)
    login(client, world.people.manager)
    page = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    row = page[page.index(f'id="report-{reports["old"].id}"'):]
    row = row[:row.index("</tr>")]
    assert "Expired" in row and "Generate again" in row and "Download" not in row
    assert f'name="campaign" value="{world.campaign_a.id}"' in row
    assert 'name="lang" value="vi"' in row and 'name="region"' not in row
    vi = client.get("/reports", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Hết hạn" in vi and "Tạo lại" in vi
    again = client.post("/reports", data={"kind": "comparison", "lang": "vi",
                                          "campaign": world.campaign_a.id})
    assert again.status_code == 302
    newest = session.scalars(select(Report).order_by(Report.id.desc())).first()
    assert (newest.status, newest.lang, newest.params["campaign"]) == (
        "done", "vi", world.campaign_a.id)
    assert file_store.get(newest.storage_key).startswith(b"%PDF-fake vi")


def test_downloading_an_expired_report_says_why(client, world, reports, file_store, token_for):
    expiry.expire(file_store, 30)
    report_id = reports["old"].id
    login(client, world.people.manager)
    page = client.get(f"/reports/{report_id}/download", headers={"Accept-Language": "en"},
                      follow_redirects=True)
    assert page.status_code == 200
    assert "file was deleted after the keep period" in page.get_data(as_text=True)
    api = client.get(f"/api/v1/reports/{report_id}/file", headers=token_for(world.people.manager))
    assert api.status_code == 410
    assert api.get_json()["error"] == ("The report's file was deleted after the keep period. "
                                       "Generate it again.")
    body = client.get(f"/api/v1/reports/{report_id}",
                      headers=token_for(world.people.manager, "vi")).get_json()
    assert body["status"] == "expired" and body["file_url"] is None
    assert body["expired_at"] is not None and body["error"].startswith("Tệp báo cáo")


def test_cleanup_command_expires_with_the_configured_keep(app, reports, file_store, session,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_KEEP_DAYS", 28)
    result = app.test_cli_runner().invoke(args=["storage", "cleanup"])
    assert result.exit_code == 0, result.output
    assert "reports older than 28 days expired, files deleted: 2 (0.0 MB)" in result.output
    assert list(file_store.keys("reports/")) == []
    kept = app.test_cli_runner().invoke(args=["storage", "cleanup", "--keep-reports", "0"])
    assert "report files: kept for ever" in kept.output
