"""Races between real requests: each thread has its own test client, app context, session
and database connection, and every write is committed (the rolled-back `session` fixture
would hide exactly what these tests look for). Data is made through the tests' own engine
on the test database and deleted after each test.

A `meeting` wraps a function the racing requests call after they have read the visit and
before they commit: each caller waits there (at most `timeout` seconds) for the other.
On PostgreSQL both arrive, so both read the same version and the race is real every time;
on SQLite the second request waits for the write lock (BEGIN IMMEDIATE) until the first
has committed, so only one arrives and the other reads the new state afterwards.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, func, or_, select
from werkzeug.security import generate_password_hash

from audit.auth.operations import issue_token
from audit.checklists.importer import load_bundled
from audit.db_setup import configure_engine
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch, Brand, Region
from audit.models.visits import Visit
from audit.visits import operations
from tests.conftest import _TestSession
from tests.support import PASSWORD, perfect_answers

_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def engine(app: Flask, database_url: str) -> Iterator[Engine]:
    """The tests' own engine on the (migrated) test database."""
    own = create_engine(database_url)
    configure_engine(own)
    yield own
    own.dispose()


def _new_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {t.name: connection.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar()
                for t in db.metadata.sorted_tables if "id" in t.c}


@pytest.fixture
def committed(engine: Engine) -> Iterator[None]:
    """Delete every row a test committed (ids above those before it), children first."""
    before = _new_rows(engine)
    yield
    with engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if "id" in table.c:
                connection.execute(table.delete().where(table.c.id > before[table.name]))
            elif table.foreign_keys:  # an association table: rows pointing at new rows
                connection.execute(table.delete().where(or_(*(
                    fk.parent > before[fk.column.table.name] for fk in table.foreign_keys))))


@contextmanager
def own_session(app: Flask, engine: Engine) -> Iterator[Any]:
    """`db.session` bound to the tests' engine, for the app's own builders (commits real)."""
    with app.app_context():
        original = db.session
        db.session = db._make_scoped_session({"bind": engine, "class_": _TestSession})
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original


@pytest.fixture
def race(app: Flask, engine: Engine, committed: None) -> SimpleNamespace:
    """A brand with two branches, two managers, two shoppers and a claimable campaign."""
    tag = secrets.token_hex(3)
    with own_session(app, engine) as s:
        brand = Brand(code=f"race{tag}", name=f"Race {tag}")
        region = Region(brand=brand, name="Race region")
        branches = [Branch(brand=brand, region=region, code=f"R{tag}{i}", name=f"Race {i}",
                           address="1 Street") for i in range(2)]
        s.add_all([brand, region, *branches])
        s.flush()
        version = next(v for v in load_bundled(brand)
                       if v.checklist.code == "care-protocol-in-person")
        people = {name: User(email=f"{name}.{tag}@race.test", name=name, role=role,
                             password_hash=_HASH, brand=brand if role != "shopper" else None)
                  for name, role in [("manager", "quality_manager"),
                                     ("manager2", "quality_manager"),
                                     ("shopper", "shopper"), ("shopper2", "shopper")]}
        s.add_all(people.values())
        today = date.today()
        campaign = Campaign(brand=brand, checklist_version=version,
                            name={"en": "Race", "vi": "Đua"}, starts_on=today - timedelta(1),
                            ends_on=today + timedelta(10), channel=version.channel,
                            allow_claims=True, branches=branches)
        s.add(campaign)
        s.commit()
        tokens = {name: issue_token(user) for name, user in people.items()}
        ids = SimpleNamespace(campaign=campaign.id, version=version.id,
                              branches=[b.id for b in branches],
                              users={n: u.id for n, u in people.items()},
                              emails={n: u.email for n, u in people.items()})

    def make_visit(status: str = "assigned", shopper: str | None = "shopper",
                   branch: int = 0, answered: bool = False, submit: bool = False) -> int:
        with own_session(app, engine) as s:
            visit = Visit(campaign_id=ids.campaign, branch_id=ids.branches[branch],
                          shopper_id=ids.users[shopper] if shopper else None,
                          checklist_version_id=ids.version, status=status,
                          channel="in_person", due_from=today - timedelta(1),
                          due_until=today + timedelta(10))
            s.add(visit)
            s.commit()
            if answered or submit:
                actor = s.get(User, ids.users[shopper])
                operations.save_answers(visit, perfect_answers(visit), actor)
            if submit:
                operations.submit(visit, s.get(User, ids.users[shopper]))
            return visit.id

    def read(fn: Callable[[Any], Any]) -> Any:
        """Run `fn(session)` in a fresh session on the tests' engine."""
        with own_session(app, engine) as s:
            return fn(s)

    def headers(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}", "Accept-Language": "en"}

    def web_client(name: str):
        client = app.test_client()
        response = client.post("/login", data={"email": ids.emails[name], "password": PASSWORD})
        assert response.status_code == 302
        return client

    return SimpleNamespace(ids=ids, make_visit=make_visit, read=read, headers=headers,
                           web_client=web_client, app=app,
                           backend=engine.dialect.name)


class Meeting:
    """Callers wait here for each other, up to `timeout` seconds; `met` is the most that
    were there at once (2: the race was real; 1: the requests ran one after the other)."""

    def __init__(self, parties: int = 2, timeout: float = 1.5) -> None:
        self.parties, self.timeout = parties, timeout
        self.present = self.met = 0
        self._cond = threading.Condition()

    def wait(self) -> None:
        with self._cond:
            self.present += 1
            self.met = max(self.met, self.present)
            self._cond.notify_all()
            self._cond.wait_for(lambda: self.met >= self.parties, self.timeout)
            self.present -= 1


@pytest.fixture
def meeting(monkeypatch) -> Callable[[Any, str], Meeting]:
    """Make `module.name` a meeting point for the racing requests."""

    def install(module: Any, name: str, point: Meeting | None = None) -> Meeting:
        point = point or Meeting()
        original = getattr(module, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            point.wait()
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)
        return point

    return install


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in parallel threads and return their results in order."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=60) for future in futures]
