"""Shared fixtures: the app and schema once per database backend, one rolled-back
transaction per test, builders for a small two-brand world, and API helpers.

Every database test runs on SQLite and, when it is reachable, on PostgreSQL (a database
created for the run and dropped after). With CI=true an unreachable PostgreSQL fails.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from types import SimpleNamespace

import flask_babel
import flask_migrate
import pytest
from flask import Flask, g
from flask_sqlalchemy.session import Session as FlaskSession

from audit import create_app
from audit.auth.operations import issue_token
from audit.checklists.importer import load_bundled
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.visits import Visit
from audit.storage import use_storage
from audit.storage.local import LocalStorage
from audit.storage.s3 import S3Storage, make_client

pytest.register_assert_rewrite("tests.support")  # before the import: its asserts explain
from tests.support import FAST_HASH  # noqa: E402

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

# The support package's fixtures (count_queries) and its scheduling of tests on xdist's
# workers; its functions are imported from tests.support.
pytest_plugins = ["tests.support.mail", "tests.support.queries", "tests.support.workers"]


def _pg_admin_connection():
    import psycopg

    return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)


def _fresh_request_state() -> None:
    # Tests keep one app context open, so per-request caches must be reset by hand.
    g.pop("_login_user", None)
    g.pop("api_token", None)  # set by the token loader; it exempts a write from CSRF
    flask_babel.refresh()


class _Backends:
    """Each backend's database and app with its schema built by the migrations (never by
    create_all), made once per run, or once per worker under pytest-xdist, and kept while
    the other backend's tests run: a worker that goes back and forth between them does not
    build them again."""

    def __init__(self, tmp_path_factory) -> None:
        self.tmp = tmp_path_factory
        self.urls: dict[str, str | BaseException] = {}
        self.apps: dict[str, Flask] = {}
        self.admin = None
        self.databases: list[str] = []

    def url(self, kind: str) -> str:
        if kind not in self.urls:
            try:
                self.urls[kind] = self._create(kind)
            except Exception as exc:  # noqa: BLE001
                self.urls[kind] = exc
        found = self.urls[kind]
        if isinstance(found, BaseException):
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL is not reachable in CI: {found}")
            pytest.skip(f"PostgreSQL not reachable: {found}")
        return found

    def _create(self, kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('db') / 'test.db'}"
        self.admin = self.admin or _pg_admin_connection()
        name = f"audit_test_{os.getpid()}_{secrets.token_hex(3)}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        base = PG_ADMIN.rsplit("/", 1)[0]
        return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)

    def app(self, url: str) -> Flask:
        if url not in self.apps:
            app = create_app({
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "PHOTO_ROOT": str(self.tmp.mktemp("photos")),
                "SECRET_KEY": "test",
            })
            app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_state)
            with app.app_context():
                flask_migrate.upgrade()
            self.apps[url] = app
        return self.apps[url]

    def close(self) -> None:
        for app in self.apps.values():
            with app.app_context():
                db.engine.dispose()
        if self.admin is not None:
            for name in self.databases:
                self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin.close()


@pytest.fixture(scope="session")
def _backends(tmp_path_factory) -> Iterator[_Backends]:
    backends = _Backends(tmp_path_factory)
    try:
        yield backends
    finally:
        backends.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, _backends) -> str:
    """One database per backend for the whole run (for each worker under pytest-xdist)."""
    return _backends.url(request.param)


@pytest.fixture(scope="session")
def app(database_url, _backends) -> Flask:
    """The app on that database, its schema built by the migrations."""
    return _backends.app(database_url)


S3_BUCKET = "audit-test"


def s3_config(endpoint: str, prefix: str = "") -> dict[str, str]:
    """App settings for the test bucket on the moto server."""
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": S3_BUCKET, "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1", "S3_PREFIX": prefix}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, over HTTP on 127.0.0.1 and a free port, for the whole run; the
    credentials are moto's dummies, so boto3's chain never looks further (no IMDS)."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.delenv("AWS_PROFILE", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        try:
            yield endpoint
        finally:
            server.stop()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint):
    """One client for the run's test stores (making one loads boto3's models: ~1 s), and the
    test bucket."""
    client = make_client(s3_config(s3_endpoint))
    client.create_bucket(Bucket=S3_BUCKET)
    return client


def s3_store(client) -> S3Storage:
    """An empty store: the test bucket under a fresh prefix."""
    return S3Storage(client, S3_BUCKET, f"t-{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["local", "s3"])
def file_store(request, app, tmp_path):
    """The test's own, empty store on local disk or on S3 (moto, under a fresh prefix), put
    in place of the app's for the test: every storage path runs against both."""
    if request.param == "s3":
        store = s3_store(request.getfixturevalue("s3_client"))
    else:
        store = LocalStorage(tmp_path / "files")
    previous = use_storage(app, store)
    try:
        yield store
    finally:
        use_storage(app, previous)


class _TestSession(FlaskSession):
    """Flask-SQLAlchemy's session always picks the engine; tests pin it to one connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(
            mapper=mapper, clause=clause, bind=bind, **kwargs)


@pytest.fixture
def session(app) -> Iterator:
    """A session inside a transaction that is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": _TestSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def make_user(session):
    """Build a user with a fast password hash (the password is `PASSWORD`)."""
    counter = iter(range(1, 10_000))

    def make(role: str = "shopper", **fields) -> User:
        n = next(counter)
        user = User(
            email=fields.pop("email", f"{role}{n}@example.test"),
            name=fields.pop("name", f"{role.title()} {n}"),
            role=role, password_hash=FAST_HASH, **fields,
        )
        session.add(user)
        session.flush()
        return user

    return make


def _brand(session, code: str, branch_count: int) -> SimpleNamespace:
    brand = Brand(code=code, name=f"Brand {code}")
    region = Region(brand=brand, name=f"{code} North")
    region2 = Region(brand=brand, name=f"{code} South")
    franchisee = Franchisee(brand=brand, name=f"{code} Franchise A")
    other_franchisee = Franchisee(brand=brand, name=f"{code} Franchise B")
    branches = [
        Branch(brand=brand, region=region if i % 2 == 0 else region2,
               franchisee=franchisee if i == 0 else other_franchisee if i == 1 else None,
               code=f"{code.upper()}{i:02d}", name=f"{code} branch {i}",
               address=f"{i} Street", latitude=10.0, longitude=106.0)
        for i in range(branch_count)
    ]
    session.add_all([brand, region, region2, franchisee, other_franchisee, *branches])
    session.flush()
    versions = {v.checklist.code: v for v in load_bundled(brand)}
    return SimpleNamespace(brand=brand, regions=[region, region2], franchisee=franchisee,
                           other_franchisee=other_franchisee, branches=branches,
                           versions=versions)


@pytest.fixture
def world(session, make_user):
    """Two brands; brand A has 4 branches (the first owned by franchisee A, the second by
    franchisee B), people in every role, and a campaign on the care-protocol checklist."""
    a = _brand(session, "a", 4)
    b = _brand(session, "b", 2)
    today = date.today()

    def campaign(org, code="care-protocol-in-person") -> Campaign:
        version = org.versions[code]
        row = Campaign(brand=org.brand, checklist_version=version,
                       name={"en": f"Wave {code}", "vi": f"Đợt {code}"},
                       starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10),
                       visits_per_branch=1, channel=version.channel,
                       scenario={"en": "Ask about a phone.", "vi": "Hỏi mua điện thoại."},
                       branches=org.branches)
        session.add(row)
        session.flush()
        return row

    people = SimpleNamespace(
        admin=make_user("admin"),
        manager=make_user("quality_manager", brand=a.brand),
        other_manager=make_user("quality_manager", brand=b.brand),
        owner=make_user("franchise_owner", franchisee=a.franchisee),
        other_owner=make_user("franchise_owner", franchisee=a.other_franchisee),
        shopper=make_user("shopper", name="Nguyễn Bí Mật"),
        other_shopper=make_user("shopper"),
    )
    return SimpleNamespace(a=a, b=b, people=people, campaign=campaign,
                           campaign_a=campaign(a), campaign_b=campaign(b))


@pytest.fixture
def make_visit(session, world):
    """A visit of brand A's campaign at a branch, for a shopper, in a status."""

    def make(branch=None, shopper=None, status="assigned", campaign=None) -> Visit:
        campaign = campaign or world.campaign_a
        visit = Visit(
            campaign=campaign, branch=branch or world.a.branches[0],
            shopper=None if status == "open" else (shopper or world.people.shopper),
            checklist_version=campaign.checklist_version, status=status,
            channel=campaign.channel, due_from=campaign.starts_on, due_until=campaign.ends_on,
        )
        session.add(visit)
        session.flush()
        return visit

    return make


@pytest.fixture
def token_for(session):
    """Issue a bearer token for a user and return request headers carrying it."""

    def make(user: User, lang: str = "en") -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(user)}", "Accept-Language": lang}

    return make
