"""SQLite: a write that cannot get the lock within the busy timeout answers 503 with
Retry-After in the user's language, never a 500, and saves nothing."""

from __future__ import annotations

import pytest

from audit import create_app
from audit.extensions import db


def test_locked_database_answers_503_with_retry_after(race, engine, database_url, tmp_path):
    if race.backend != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows, not the database")
    visit_id = race.make_visit(status="in_progress", answered=True)
    impatient = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                            "SECRET_KEY": "test", "SQLITE_BUSY_TIMEOUT": 0.2,
                            "PHOTO_ROOT": str(tmp_path)})
    try:
        with engine.connect() as holder:
            holder.exec_driver_sql("UPDATE brands SET name = name")  # another writer holds
            client = impatient.test_client()
            api = client.post(f"/api/v1/visits/{visit_id}/submit",
                              headers={**race.headers("shopper"), "Accept-Language": "vi"})
            page = client.post("/login", data={"email": "x@y.z", "password": "x"},
                               headers={"Accept-Language": "en"})
            holder.rollback()
        assert api.status_code == 503 and api.headers["Retry-After"] == "2"
        assert api.get_json()["error"].startswith("Hệ thống đang bận")
        assert page.status_code == 503
        assert "The service is busy right now" in page.get_data(as_text=True)
    finally:
        with impatient.app_context():
            db.engine.dispose()
    assert race.read(lambda s: s.execute(db.text(
        "SELECT status FROM visits WHERE id = :id"), {"id": visit_id}).scalar()) == "in_progress"
