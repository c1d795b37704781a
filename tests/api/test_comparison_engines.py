"""The branch comparison gives the same numbers on SQLite and PostgreSQL for the same data:
the SQL sums, the per-branch breakdown cache, ranks, KPIs, weakest questions and trend."""

from __future__ import annotations

import math
import os
import random
import secrets
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import flask_migrate
import pytest
from werkzeug.security import generate_password_hash

from audit import create_app
from audit.auth.operations import issue_token
from audit.checklists.importer import load_bundled
from audit.comparison import breakdown, service
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Brand, Region
from audit.models.visits import Visit
from audit.review import operations as review
from audit.visits import operations
from tests.conftest import PG_ADMIN, _pg_admin_connection


@pytest.fixture
def pg_scratch() -> Iterator[str]:
    try:
        admin = _pg_admin_connection()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    name = f"audit_engines_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}".replace(
            "postgresql://", "postgresql+psycopg://", 1)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def random_answers(visit: Visit, rng: random.Random) -> list[dict[str, Any]]:
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.kind == "photo":
            continue
        if q.allow_na and rng.random() < 0.1:
            items.append({"question": q.code, "na": True})
            continue
        value: Any = {"yes_no": rng.random() < 0.8, "text": "ok"}.get(q.kind)
        if q.kind == "scale":
            value = rng.randint(int(q.min_value or 1), int(q.max_value))
        elif q.kind == "number":
            value = rng.randint(0, 20)
        elif q.kind == "choice":
            value = rng.choice(q.options)["value"]
        items.append({"question": q.code, "value": value})
    return items


def build(url: str, photo_root: str) -> tuple[Any, str, list[int]]:
    """Migrate an empty database and fill it with the same seeded data set."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t",
                      "PHOTO_ROOT": photo_root})
    rng = random.Random(7)
    today = date.today()
    with app.app_context():
        flask_migrate.upgrade()
        brand = Brand(code="same", name="Same data")
        regions = [Region(brand=brand, name=f"Region {i}") for i in range(2)]
        branches = [Branch(brand=brand, region=regions[i % 2], code=f"S{i:02d}",
                           name=f"Branch {i}", address="1 Street") for i in range(6)]
        hashed = generate_password_hash("x", method="pbkdf2:sha256:1000")
        manager = User(email="m@same.test", name="M", role="quality_manager", brand=brand,
                       password_hash=hashed)
        shopper = User(email="s@same.test", name="S", role="shopper", password_hash=hashed)
        db.session.add_all([brand, *regions, *branches, manager, shopper])
        db.session.flush()
        version = next(v for v in load_bundled(brand)
                       if v.checklist.code == "care-protocol-in-person")
        campaigns = []
        for wave in range(3):
            start = today - timedelta(days=90 - 30 * wave)
            campaign = Campaign(brand=brand, checklist_version=version,
                                name={"en": f"Wave {wave}", "vi": f"Đợt {wave}"},
                                starts_on=start, ends_on=start + timedelta(days=20),
                                channel=version.channel, branches=branches)
            db.session.add(campaign)
            db.session.flush()
            campaigns.append(campaign.id)
            for branch in branches:
                for _ in range(rng.randint(0, 4)):
                    visit = Visit(campaign=campaign, branch=branch, shopper=shopper,
                                  checklist_version=version, status="assigned",
                                  channel=version.channel, due_from=start,
                                  due_until=start + timedelta(days=20))
                    db.session.add(visit)
                    db.session.flush()
                    operations.save_answers(visit, random_answers(visit, rng), shopper)
                    operations.submit(visit, shopper)
                    if rng.random() < 0.8:
                        review.approve(visit, manager, None)
        token = issue_token(manager)
    return app, token, campaigns


def forget_cached_numbers() -> None:
    service.numbers_cache.clear()
    service.scope_cache.clear()
    breakdown.parts_cache.clear()


def assert_same(a: Any, b: Any, path: str = "") -> None:
    """Equal structures; floats equal to 1e-9 (the engines sum in different orders)."""
    if isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, path
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (path, a, b)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), (path, a, b)
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def test_comparison_numbers_agree_on_both_engines(pg_scratch, tmp_path):
    sqlite_app, sqlite_token, campaigns = build(f"sqlite:///{tmp_path / 'same.db'}",
                                                str(tmp_path / "p1"))
    pg_app, pg_token, pg_campaigns = build(pg_scratch, str(tmp_path / "p2"))
    assert campaigns == pg_campaigns
    try:
        compared = 0
        for campaign in campaigns:
            for query in ("", "&include_submitted=true"):
                url = f"/api/v1/comparison?campaign={campaign}{query}"
                answers = []
                for app, token in ((sqlite_app, sqlite_token), (pg_app, pg_token)):
                    forget_cached_numbers()  # the same ids on both: each engine computes
                    answers.append(app.test_client().get(url, headers={
                        "Authorization": f"Bearer {token}", "Accept-Language": "en"}))
                assert [r.status_code for r in answers] == [200, 200]
                on_sqlite, on_pg = (r.get_json() for r in answers)
                assert on_sqlite["branches"], url  # the data set has numbers to compare
                assert_same(on_sqlite, on_pg, url)
                compared += 1
        assert compared == 6
    finally:
        for app in (sqlite_app, pg_app):
            with app.app_context():
                db.engine.dispose()
