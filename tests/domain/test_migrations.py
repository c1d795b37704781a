"""Every migration runs both ways: empty database to head, down to base, and up again,
ending with the schema the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from audit import create_app
from audit.extensions import db
from tests.conftest import PG_ADMIN, _pg_admin_connection


@pytest.fixture
def scratch_url(database_url: str, tmp_path) -> Iterator[str]:
    """An empty database beside the test database, on the same backend."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    admin = _pg_admin_connection()
    name = f"audit_migrations_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}".replace(
            "postgresql://", "postgresql+psycopg://", 1)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_upgrade_downgrade_to_base_and_upgrade_again(scratch_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url,
                      "SECRET_KEY": "test", "PHOTO_ROOT": str(tmp_path / "photos")})
    model_tables = set(db.metadata.tables)
    with app.app_context():
        try:
            flask_migrate.upgrade()
            assert set(inspect(db.engine).get_table_names()) == model_tables | {"alembic_version"}

            flask_migrate.downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
                assert context.get_current_revision() is not None
        finally:
            db.engine.dispose()
