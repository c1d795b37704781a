"""Migrations 0011sessions, 0012photopurge and 0015loginsessions over the demo data
(SQLite): a demo user's session cookie from before the upgrade names no log-in row, so its
browser logs in once more (0015: else no log-out could end it); photos purged before 0012
lose their hashes, size and camera time, and the audit log its copies of them; down and up
again."""

from __future__ import annotations

import flask_migrate
from sqlalchemy import select, text

from audit import create_app
from audit.demo import data
from audit.demo.generator import load
from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from audit.models.visits import Photo


def test_old_sessions_end_and_purged_photos_forget_on_sqlite(tmp_path):
    app = create_app({"AUDIT_ENV": "testing", "TESTING": True, "SECRET_KEY": "test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'audit.db'}",
                      "PHOTO_ROOT": str(tmp_path / "photos")})
    with app.app_context():
        flask_migrate.upgrade()
        load(seed=3)
        flask_migrate.downgrade(revision="0010storage")  # the database before this branch
        shopper_id = db.session.scalar(select(User.id).where(User.email == data.SHOPPERS[0][0]))
        photo_id, visit_id, sha = db.session.execute(text(
            "SELECT id, visit_id, sha256 FROM photos ORDER BY id LIMIT 1")).one()
        kept_id = db.session.scalar(text(
            "SELECT id FROM photos WHERE visit_id != :v ORDER BY id LIMIT 1"), {"v": visit_id})
        # As the 0009privacy purge left it: file gone, row and hash kept; a deleted photo's
        # hash in the log.
        db.session.execute(text("UPDATE photos SET purged_at = '2026-01-01 00:00:00+00:00', "
                                "caption = '' WHERE id = :p"), {"p": photo_id})
        db.session.execute(text("UPDATE visits SET purged_at = '2026-01-01 00:00:00+00:00' "
                                "WHERE id = :v"), {"v": visit_id})
        db.session.execute(text(
            "INSERT INTO audit_log (at, entity, entity_id, action, old_value, reason) VALUES "
            "('2025-01-01 00:00:00+00:00', 'photo', 999999, 'delete', :old, '')"),
            {"old": f'{{"visit": {visit_id}, "sha256": "{"ab" * 32}"}}'})
        db.session.commit()

    old_browser = app.test_client()
    with old_browser.session_transaction() as cookie:  # what login_user left before 0011
        cookie["_user_id"], cookie["_fresh"] = str(shopper_id), True

    with app.app_context():
        flask_migrate.upgrade()
        db.session.expire_all()
        purged = db.session.get(Photo, photo_id)
        assert (purged.sha256, purged.phash, purged.width, purged.height, purged.size_bytes,
                purged.captured_at, purged.source_format) == (None,) * 7
        assert purged.purged_at is not None
        kept = db.session.get(Photo, kept_id)
        assert len(kept.sha256) == 64 and kept.width > 0 and kept.size_bytes > 0
        entry = db.session.scalars(select(AuditLog).where(AuditLog.entity_id == 999999)).one()
        assert entry.old_value == {"visit": visit_id, "sha256": None}
        assert photo_id not in db.session.scalars(select(Photo.id).where(Photo.sha256 == sha))
        assert db.session.get(User, shopper_id).session_key is None

    response = old_browser.get("/account/password")
    assert (response.status_code, response.headers["Location"]) == (
        302, "/login?next=%2Faccount%2Fpassword")  # logs in once more after the upgrade

    with app.app_context():
        flask_migrate.downgrade(revision="0010storage")
        assert db.session.execute(text(
            "SELECT sha256, width, height, size_bytes FROM photos WHERE id = :p"),
            {"p": photo_id}).one() == ("", 0, 0, 0)
        db.session.rollback()  # end this read's snapshot
        flask_migrate.upgrade()
        assert db.session.get(Photo, photo_id).sha256 is None
        db.engine.dispose()
