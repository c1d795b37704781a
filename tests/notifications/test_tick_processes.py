"""Two processes run `flask --app wsgi.py jobs tick` at the same moment against one
database (a SQLite file, a PostgreSQL database): the lease lets one of them do the work,
so each e-mail and digest arrives once. The database here is committed (the processes
cannot see a test's open transaction), made for the test and dropped after."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
import pytest

from audit import create_app
from audit.extensions import db
from audit.models.auth import User
from audit.notifications import notify
from tests.conftest import PG_ADMIN, _pg_admin_connection
from tests.support import FAST_HASH

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request, tmp_path):
    """A migrated database of its own, as a DATABASE_URL the CLI processes read."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tick.db'}"
        return
    try:
        admin = _pg_admin_connection()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"audit_tick_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _app(url: str, tmp_path: Path, **settings):  # noqa: ANN003, ANN202 - app settings
    """The app on `url`, as a process of its own would make it."""
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "tick",
                       "SQLALCHEMY_DATABASE_URI": None, "PHOTO_ROOT": str(tmp_path / "f"),
                       **settings})


def _seed(url: str, tmp_path: Path) -> None:
    app = _app(url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade()
        shopper = User(
            email="tick@example.test",
            name="Tick",
            role="shopper",
            password_hash=FAST_HASH,
            locale="en",
        )
        db.session.add(shopper)
        db.session.flush()
        notify(shopper, "visit_assigned", context={}, link="/visits/1")
        notify(shopper, "board_new_jobs", context={}, link="/jobs")
        db.session.commit()
        db.engine.dispose()


def test_two_processes_ticking_together_send_each_message_once(
    shared_database, tmp_path, smtp_server
):
    _seed(shared_database, tmp_path)
    smtp_server.clear()
    day = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=1)
    now = datetime.combine(day, time(7, 30), ZoneInfo("Asia/Ho_Chi_Minh")).isoformat()
    env = {
        **os.environ,
        "DATABASE_URL": shared_database,
        "SECRET_KEY": "tick",
        "AUDIT_ENV": "development",
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": str(smtp_server.port),
        "PHOTO_ROOT": str(tmp_path / "f"),
        "REDIS_URL": "",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi.py", "jobs", "tick", "--now", now]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    said = sorted((out for out, _ in outputs), key=lambda out: "another process" not in out)
    assert "another process holds" in said[0], outputs
    assert "mail 1" in said[1] and "digests 1" in said[1], outputs
    assert len(smtp_server.messages) == 2
    assert {m["To"] for m in smtp_server.messages} == {"tick@example.test"}


def test_a_message_sent_while_another_process_writes_is_recorded_sent(
    tmp_path, smtp_server, monkeypatch
):
    """SQLite: another process commits while the job composes the e-mail. The job's record
    of the outcome still lands (a write on a read snapshot another process changed fails at
    once, whatever the busy timeout); before, the row stayed queued and the e-mail went out
    again when its claim ran out (seen in the notifications journey under gunicorn)."""
    import sqlite3

    from audit.models.notifications import Notification
    from audit.notifications import compose, sending

    path = tmp_path / "mail.db"
    url = f"sqlite:///{path}"
    _seed(url, tmp_path)
    smtp_server.clear()
    app = _app(url, tmp_path, MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    made = compose.message_for

    def composed_while_another_process_writes(row):  # noqa: ANN001, ANN202
        message = made(row)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("UPDATE users SET name = 'Tick again'")
        other.close()
        return message

    monkeypatch.setattr(compose, "message_for", composed_while_another_process_writes)
    with app.app_context():
        (queued,) = db.session.scalars(
            db.select(Notification.id).where(Notification.mail_status == "queued")
        ).all()
        db.session.commit()
        assert sending.send(queued) is True
        row = db.session.get(Notification, queued)
        assert (row.mail_status, row.attempts, row.last_error) == ("sent", 1, "")
        db.engine.dispose()
    assert [m["To"] for m in smtp_server.messages] == ["tick@example.test"]
