"""Fixtures for backups: whole instances (their own database and file store, data
committed for real, since a backup reads what other connections see), built per backend.

`source` is one instance with a small world: visits in several states with answers, photos
sent through the photo pipeline, a published visit and its PDF report in the library; and
its backup archives (.tar.gz and .tar). `new_instance()` makes an empty instance.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import pytest
from flask import Flask

from audit import create_app
from audit.checklists.importer import load_bundled
from audit.evidence.operations import add_photo
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.visits import Visit
from audit.review import operations as review
from audit.storage import storage_for
from audit.visits import operations as visits
from tests.conftest import PG_ADMIN, _pg_admin_connection
from tests.reports.conftest import fill
from tests.support import FAST_HASH, encode, login, picture


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def kind(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def new_instance(kind, tmp_path_factory) -> Iterator:
    """Make an instance with a new database (of the module's kind unless `of` says) and a
    new file store; `migrate` runs the migrations (an instance after `flask db upgrade`),
    else the database is bare."""
    admin = _admin() if kind == "postgresql" else None
    apps: list[Flask] = []
    names: list[str] = []

    def make(migrate: bool = True, revision: str = "head", of: str | None = None) -> Flask:
        nonlocal admin
        folder = tmp_path_factory.mktemp("instance")
        if (of or kind) == "sqlite":
            url = f"sqlite:///{folder / 'audit.db'}"
        else:
            admin = admin or _admin()
            name = f"audit_backup_{os.getpid()}_{secrets.token_hex(3)}"
            admin.execute(f'CREATE DATABASE "{name}"')
            names.append(name)
            url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}".replace(
                "postgresql://", "postgresql+psycopg://", 1)
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "PHOTO_ROOT": str(folder / "files"), "SECRET_KEY": "test"})
        apps.append(app)
        if migrate:
            with app.app_context():
                flask_migrate.upgrade(revision=revision)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    for name in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if admin is not None:
        admin.close()


def _admin():
    """The PostgreSQL admin connection, or skip (fail in CI) when it is not reachable."""
    try:
        return _pg_admin_connection()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")


def invoke(app: Flask, *args: str):
    """Run `flask backup ...` on the app through Flask's CLI runner."""
    return app.test_cli_runner().invoke(args=["backup", *map(str, args)])


def world(app: Flask) -> None:
    """Committed data in every table the product fills while it is used."""
    with app.app_context():
        brand = Brand(code="bk", name="Sao Mai sao lưu")
        region = Region(brand=brand, name="Miền Nam")
        franchisee = Franchisee(brand=brand, name="Minh Phát")
        branches = [Branch(brand=brand, region=region, franchisee=franchisee if i else None,
                           code=f"BK{i}", name=f"Chi nhánh {i}", address=f"{i} Lê Lợi",
                           latitude=10.77, longitude=106.7) for i in range(3)]
        manager = User(email="qm@backup.test", name="Quản lý", role="quality_manager",
                       brand=brand, password_hash=FAST_HASH)
        shopper = User(email="sh@backup.test", name="Người mua bí mật", role="shopper",
                       password_hash=FAST_HASH)
        db.session.add_all([brand, region, franchisee, *branches, manager, shopper])
        db.session.flush()
        version = {v.checklist.code: v for v in load_bundled(brand)}["care-protocol-in-person"]
        today = date.today()
        campaign = Campaign(brand=brand, checklist_version=version,
                            name={"en": "Backup wave", "vi": "Đợt sao lưu"},
                            starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=5),
                            visits_per_branch=1, channel=version.channel,
                            scenario={"en": "Ask about a phone.", "vi": "Hỏi mua điện thoại."},
                            branches=branches)
        rows = [Visit(campaign=campaign, branch=branch, shopper=shopper,
                      checklist_version=version, status="assigned", channel=campaign.channel,
                      due_from=campaign.starts_on, due_until=campaign.ends_on)
                for branch in branches]
        db.session.add_all([campaign, *rows])
        db.session.commit()
        for seed, visit in enumerate(rows[:2]):
            fill(visit, shopper, fail_code="P1.4" if seed else None)
            add_photo(visit, encode(picture(seed=seed)), question_code="P1.2",
                      caption="Quầy trưng bày", actor=shopper)
            add_photo(visit, encode(picture((640, 480), seed=seed + 2)), question_code=None,
                      caption="", actor=shopper)
            visits.submit(visit, shopper)
        review.approve(rows[0], manager, rows[0].revision)
        visit_id = rows[0].id
    client = app.test_client()
    login(client, SimpleNamespace(email="qm@backup.test"))
    response = client.get(f"/reports/visits/{visit_id}.pdf?lang=vi")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.fixture(scope="module")
def source(new_instance, tmp_path_factory) -> SimpleNamespace:
    """The instance with the world, and its backups as .tar.gz and as .tar."""
    app = new_instance()
    world(app)
    folder = tmp_path_factory.mktemp("archives")
    archives = {}
    for suffix in ("tar.gz", "tar"):
        path = folder / f"backup.{suffix}"
        result = invoke(app, "create", path)
        assert result.exit_code == 0, result.output
        archives[suffix] = path
    with app.app_context():
        # four photos, their thumbnails and the PDF in the report library
        assert len(list(storage_for(app).keys())) == 9
    return SimpleNamespace(app=app, archive=archives["tar.gz"], plain=archives["tar"],
                           folder=folder, create_output=result.output)


def archive_copy(source: SimpleNamespace, name: str, plain: bool = False) -> Path:
    """A copy of the archive to damage."""
    target = source.folder / name
    target.write_bytes((source.plain if plain else source.archive).read_bytes())
    return target
