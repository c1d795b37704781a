"""Defect 3: a report job that fails anywhere is logged, retried, and ends failed with its
reason; a report left queued is handed to the queue again. Reproduced as it happened under
gunicorn: the job's first write meets a locked SQLite file in a pool thread, whose Future
swallowed the exception, so the report stayed "queued" for ever."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.models.reports import Report
from audit.reports import jobs, operations


@pytest.fixture(scope="module")
def locked_app(tmp_path_factory):
    """An app on a committed SQLite file whose writes wait 0.1 s for the lock, with the
    thread pool and short retries."""
    import flask_migrate

    from audit import create_app
    from audit.extensions import db
    from audit.models.auth import User
    from audit.models.orgs import Brand

    root = tmp_path_factory.mktemp("report-failures")
    path = root / "f.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "PHOTO_ROOT": str(root / "files"), "SECRET_KEY": "f",
                      "SQLITE_BUSY_TIMEOUT": 0.1, "REPORTS_BACKEND": "thread"})
    app.config["REPORT_RETRY_DELAYS"] = (0.3, 0.6, 1.2)
    app.db_path = path
    with app.app_context():
        flask_migrate.upgrade()
        brand = Brand(code="f", name="Brand F")
        db.session.add_all([brand, User(email="m@f.test", name="M", role="quality_manager",
                                         brand=brand, password_hash="x")])
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _manager():
    from audit.extensions import db
    from audit.models.auth import User

    return db.session.scalars(select(User).where(User.email == "m@f.test")).one()


def _row(report_id: int) -> Report:
    from audit.extensions import db

    db.session.remove()
    return db.session.get(Report, report_id)


def _hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another process's long write: the file's write lock held for `seconds`."""
    started = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    return thread


def _queued(app) -> int:
    """A committed, queued report (the request's own commit, before any lock)."""
    from audit.extensions import db

    report = operations.create(_manager(), "plain", {}, "en")
    db.session.commit()
    return report.id


def test_a_locked_database_at_the_claim_is_retried_until_done(locked_app, fake_kinds, caplog):
    with locked_app.app_context():
        report_id = _queued(locked_app)
        holder = _hold_write_lock(locked_app.db_path, 0.8)
        with caplog.at_level(logging.ERROR, logger="audit.reports.operations"):
            jobs.enqueue(operations.run_report, report_id)
            holder.join()
            jobs.wait_all()
        row = _row(report_id)
        assert (row.status, row.progress, row.error) == ("done", 100, "")
        assert operations.read_file(row) == b"%PDF-fake en []"
        failures = [r for r in caplog.records if f"report {report_id}: attempt" in r.message]
        assert failures and "database is locked" in str(failures[0].exc_info[1])


def test_a_job_that_keeps_failing_ends_failed_with_its_reason_and_is_logged(
        locked_app, fake_kinds, caplog, monkeypatch):
    monkeypatch.setitem(locked_app.config, "REPORT_RETRY_DELAYS", (0.0, 0.0))
    with locked_app.app_context():
        report = operations.create(_manager(), "broken", {}, "en")
        from audit.extensions import db

        db.session.commit()
        with caplog.at_level(logging.ERROR, logger="audit.reports.operations"):
            jobs.enqueue(operations.run_report, report.id)
            jobs.wait_all()
        row = _row(report.id)
        assert row.status == "failed"
        assert row.error == "failed: RuntimeError: renderer exploded"
        attempts = [r for r in caplog.records if f"report {report.id}: attempt" in r.message]
        assert len(attempts) == 3
        with locked_app.test_request_context(headers={"Accept-Language": "vi"}):
            assert operations.error_message(row).startswith("Không tạo được báo cáo.")


def test_a_report_left_queued_is_handed_to_the_queue_again_once(locked_app, fake_kinds,
                                                                monkeypatch):
    from audit.extensions import db

    monkeypatch.setattr(operations, "_last_requeue", [-1000.0])
    with locked_app.app_context():
        lost = operations.create(_manager(), "plain", {}, "en")
        lost.created_at = utcnow() - timedelta(minutes=5)
        fresh = operations.create(_manager(), "plain", {}, "en")
        db.session.commit()
        lost_id, fresh_id = lost.id, fresh.id
        assert operations.requeue_waiting(now=0.0) == 1
        jobs.wait_all()
        assert _row(lost_id).status == "done" and _row(fresh_id).status == "queued"
        assert operations.requeue_waiting(now=30.0) == 0  # once a minute per process
