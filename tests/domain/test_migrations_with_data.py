"""Migrations over a database that holds data: SQLite rebuilds a table to alter it, which
must not trip the foreign keys of the rows that refer to it (and must leave them whole)."""

from __future__ import annotations

import flask_migrate
from sqlalchemy import func, select, text

from audit import create_app
from audit.demo.generator import load
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Branch, Brand
from audit.models.visits import Answer, Visit


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Brand, Branch, User, Visit, Answer))


def test_down_and_up_again_over_the_demo_data_on_sqlite(tmp_path):
    app = create_app({"AUDIT_ENV": "testing", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'audit.db'}",
                      "PHOTO_ROOT": str(tmp_path / "photos")})
    with app.app_context():
        flask_migrate.upgrade()
        load(seed=3)
        before = counts()
        assert before[0] >= 1 and before[4] > 100
        # 0007reports is before the security and privacy migrations, which rebuild
        # `brands` and `users` (new columns, a CHECK): both are referred to by many rows.
        flask_migrate.downgrade(revision="0007reports")
        flask_migrate.upgrade()
        db.session.expire_all()
        assert counts() == before
        assert db.session.scalar(select(Brand.retention_months)) == 24
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
