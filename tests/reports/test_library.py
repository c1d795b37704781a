"""The report library: queue -> running -> done with progress and a stored file, failures,
access per role, the pages, and both job back ends (thread pool, RQ on Redis)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.reports import Report
from audit.reports import operations
from tests.reports.conftest import score_visit
from tests.support import login


@pytest.fixture
def manual(app, monkeypatch):
    """Jobs stay queued until the test runs them."""
    monkeypatch.setitem(app.config, "REPORTS_BACKEND", "manual")


def test_queued_then_running_then_done_with_progress_and_file(
        file_store, app, world, session, fake_kinds, manual):
    manager, campaign = world.people.manager, world.campaign_a
    report = operations.request_report(manager, "comparison", {"campaign": str(campaign.id)},
                                       "en")
    assert (report.status, report.progress, report.storage_key) == ("queued", 0, None)
    assert report.params == {"campaign": campaign.id, "region": None, "franchisee": None}
    assert report.brand_id == world.a.brand.id
    operations.run_report(report.id)
    session.refresh(report)
    assert fake_kinds.seen_progress == [60]  # written while rendering, in its own savepoint
    assert (report.status, report.progress) == ("done", 100)
    assert report.started_at is not None and report.finished_at >= report.started_at
    data = operations.read_file(report)
    assert data.startswith(b"%PDF-fake en") and report.size_bytes == len(data)
    assert report.storage_key.startswith(f"reports/{report.id}/")
    assert list(file_store.keys("reports/")) == [report.storage_key]
    assert session.scalars(select(AuditLog.action).where(
        AuditLog.entity == "report", AuditLog.entity_id == report.id)).all() == ["requested"]
    operations.run_report(report.id)  # a job delivered twice does nothing the second time
    assert session.get(Report, report.id).storage_key == report.storage_key


def test_renderer_failure_marks_failed_with_message(app, world, session, fake_kinds, manual):
    report = operations.request_report(world.people.manager, "broken", {}, "vi")
    operations.run_report(report.id)
    session.refresh(report)
    assert (report.status, report.storage_key) == ("failed", None)
    assert report.error.startswith("failed: ")  # the reason, after every attempt
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "could not be generated" in operations.error_message(report)


def test_out_of_scope_at_render_time_fails_clearly(app, world, session, make_visit,
                                                   fake_kinds):
    visit = make_visit(status="approved")
    report = Report(kind="visit", params={"visit": visit.id}, lang="en",
                    brand_id=world.a.brand.id, requested_by=world.people.other_owner)
    session.add(report)
    session.flush()
    operations.run_report(report.id)
    session.refresh(report)
    assert (report.status, report.error) == ("failed", "out_of_scope")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "outside what you may see" in operations.error_message(report)


def test_request_refuses_unknown_kind_language_and_out_of_scope_ids(world, fake_kinds, manual):
    manager = world.people.manager
    with pytest.raises(operations.BadRequest, match="kind"):
        operations.request_report(manager, "nope", {}, "en")
    with pytest.raises(operations.BadRequest, match="lang"):
        operations.request_report(manager, "comparison", {"campaign": 1}, "fr")
    with pytest.raises(operations.BadRequest, match="params"):
        operations.request_report(manager, "comparison", {"campaign": "x"}, "en")
    from audit.errors import OutOfScope
    with pytest.raises(OutOfScope):
        operations.request_report(manager, "comparison", {"campaign": world.campaign_b.id}, "en")


def _report(session, world, who: str, kind: str = "comparison") -> Report:
    user = getattr(world.people, who)
    params = {"campaign": world.campaign_a.id, "region": None, "franchisee": None}
    report = Report(kind=kind, params=params, lang="vi", brand_id=world.a.brand.id,
                    requested_by=user, status="done", progress=100, storage_key=None)
    session.add(report)
    session.flush()
    return report


@pytest.mark.parametrize(("who", "library", "managers_report", "owners_report"), [
    ("admin", 200, 200, 200),
    ("manager", 200, 200, 200),
    ("other_manager", 200, 404, 404),
    ("owner", 200, 404, 200),
    ("other_owner", 200, 404, 404),
    ("shopper", 403, 403, 403),
])
def test_access_per_role(client, world, session, who, library, managers_report, owners_report):
    by_manager = _report(session, world, "manager")
    by_owner = _report(session, world, "owner")
    login(client, getattr(world.people, who))
    assert client.get("/reports").status_code == library
    assert client.get(f"/reports/{by_manager.id}/status").status_code == managers_report
    assert client.get(f"/reports/{by_owner.id}/status").status_code == owners_report
    # not done (no file): the download answers 404 to those who may see it, 403 to shoppers
    expected = 403 if who == "shopper" else 404
    assert client.get(f"/reports/{by_owner.id}/download").status_code == expected


def test_generate_from_the_page_and_download(client, world, session, fake_kinds):
    login(client, world.people.manager)
    response = client.post("/reports", data={
        "kind": "comparison", "campaign": world.campaign_a.id,
        "region": world.a.regions[1].id, "lang": "en"})
    assert response.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.status == "done"
    html = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Wave care-protocol-in-person" in html and "Region: a South" in html
    assert f"/reports/{report.id}/download" in html and 'http-equiv="refresh"' not in html
    status = client.get(f"/reports/{report.id}/status").get_json()
    assert status == {"id": report.id, "status": "done", "progress": 100, "error": None,
                      "size_bytes": report.size_bytes,
                      "download_url": f"/reports/{report.id}/download"}
    file = client.get(f"/reports/{report.id}/download")
    assert file.headers["Content-Disposition"] == (
        f'attachment; filename="comparison-{report.id}-en.pdf"')
    assert file.mimetype == "application/pdf" and file.data.startswith(b"%PDF-fake en")


def test_pending_report_shows_progress_and_refreshes_without_js(
        client, world, session, fake_kinds, manual):
    login(client, world.people.manager)
    client.post("/reports", data={"kind": "comparison", "campaign": world.campaign_a.id,
                                  "lang": "vi"})
    report = session.scalars(select(Report)).one()
    html = client.get("/reports").get_data(as_text=True)
    assert report.status == "queued" and "<progress" in html
    assert f'data-status-url="/reports/{report.id}/status"' in html
    assert '<noscript><meta http-equiv="refresh"' in html and "report-progress.js" in html


def test_visit_report_renders_in_the_request(client, world, session, make_visit, fake_kinds):
    visit = make_visit()
    score_visit(visit, world.people.shopper)
    login(client, world.people.manager)
    response = client.post("/reports", data={"kind": "visit", "visit": visit.id, "lang": "vi"})
    assert response.status_code == 302
    report = session.scalars(select(Report)).one()
    assert (report.status, report.params) == ("done", {"visit": visit.id})
    html = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "a branch 0" in html


def test_bad_request_rerenders_with_message(client, world, session, fake_kinds):
    login(client, world.people.manager)
    response = client.post("/reports", data={"kind": "comparison", "lang": "en"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Choose a campaign." in response.get_data(as_text=True)
    assert session.scalars(select(Report)).all() == []
    forged = client.post("/reports", data={"kind": "comparison", "lang": "en",
                                           "campaign": world.campaign_b.id})
    assert forged.status_code == 404


def test_owner_report_is_their_franchisee_and_names_no_other(client, world, session,
                                                             fake_kinds):
    owner = world.people.owner
    login(client, owner)
    client.post("/reports", data={"kind": "comparison", "campaign": world.campaign_a.id,
                                  "franchisee": world.a.other_franchisee.id, "lang": "en"})
    report = session.scalars(select(Report)).one()
    assert report.params["franchisee"] == world.a.franchisee.id
    _report(session, world, "manager")
    html = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "a Franchise A" in html and "a Franchise B" not in html
    assert html.count('id="report-') == 1  # the manager's report is not in the owner's list


# Both back ends against a committed database (jobs use their own connections) -----------


@pytest.fixture(scope="module")
def committed_app(tmp_path_factory):
    """A separate app on a SQLite file whose data is committed, with one manager."""
    import flask_migrate

    from audit import create_app
    from audit.extensions import db
    from audit.models.auth import User
    from audit.models.orgs import Brand

    root = tmp_path_factory.mktemp("reports-jobs")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'j.db'}",
                      "PHOTO_ROOT": str(root / "files"), "SECRET_KEY": "jobs"})
    with app.app_context():
        flask_migrate.upgrade()
        brand = Brand(code="j", name="Brand J")
        db.session.add_all([brand, User(email="m@j.test", name="M", role="quality_manager",
                                         brand=brand, password_hash="x")])
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _finished(app, report_id: int) -> Report:
    from audit.extensions import db

    db.session.remove()
    return db.session.get(Report, report_id)


def _manager():
    from audit.extensions import db
    from audit.models.auth import User

    return db.session.scalars(select(User).where(User.email == "m@j.test")).one()


def test_thread_pool_back_end(committed_app, fake_kinds, monkeypatch):
    from audit.reports import jobs

    monkeypatch.setitem(committed_app.config, "REPORTS_BACKEND", None)
    with committed_app.app_context():
        assert jobs.backend(committed_app) == "thread"
        failing = operations.request_report(_manager(), "broken", {}, "en").id
        jobs.wait_all()
        # SQLite (WAL): this thread starts a new transaction after the job's commits
        assert _finished(committed_app, failing).status == "failed"
        done = operations.request_report(_manager(), "plain", {}, "en").id
        jobs.wait_all()
        finished = _finished(committed_app, done)
        assert (finished.status, finished.progress) == ("done", 100)
        assert operations.read_file(finished) == b"%PDF-fake en []"


def _redis_or_skip(url: str):
    import os

    from redis import Redis

    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    return connection


def test_rq_back_end_with_a_worker(committed_app, fake_kinds, monkeypatch):
    import os
    import uuid

    from rq import SimpleWorker

    from audit.reports import jobs

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    _redis_or_skip(url)
    monkeypatch.setitem(committed_app.config, "REPORTS_BACKEND", None)
    monkeypatch.setitem(committed_app.config, "REDIS_URL", url)
    monkeypatch.setitem(committed_app.config, "REPORTS_QUEUE", f"test-{uuid.uuid4().hex}")
    with committed_app.app_context():
        assert jobs.backend(committed_app) == "rq"
        queue = jobs.queue(committed_app)
        try:
            report = operations.request_report(_manager(), "plain", {}, "vi")
            assert queue.count == 1 and _finished(committed_app, report.id).status == "queued"
            SimpleWorker([queue], connection=queue.connection).work(burst=True)
            finished = _finished(committed_app, report.id)
            assert (finished.status, finished.progress) == ("done", 100)
            assert operations.read_file(finished) == b"%PDF-fake vi []"
        finally:
            queue.delete(delete_jobs=True)


def test_a_lost_job_shows_as_failed_after_a_while(client, world, session):
    from datetime import timedelta

    from audit.core.clock import utcnow

    report = _report(session, world, "manager")
    report.status, report.created_at = "running", utcnow() - timedelta(hours=1)
    session.flush()
    login(client, world.people.manager)
    body = client.get(f"/reports/{report.id}/status",
                      headers={"Accept-Language": "en"}).get_json()
    assert body["status"] == "failed" and "stopped before it finished" in body["error"]
    assert 'http-equiv="refresh"' not in client.get("/reports").get_data(as_text=True)
