"""One world per module for the security tests, built once and kept in an outer transaction;
each test runs inside a savepoint rolled back after it, so a POST that changes data (a
deletion, a generated visit) never leaks into the next test.

The world holds a record of every kind the routes take an id of (visit, photo, dispute,
corrective action and its photo, report, target, draft checklist, region), all of brand
A's manager and owned by franchisee A, so another brand's manager and another
franchisee's owner genuinely test scoping. Only ids and tokens leave the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask

from audit import create_app
from audit.actions import operations as actions
from audit.auth.operations import issue_token
from audit.checklists import operations as checklists
from audit.disputes import operations as disputes
from audit.evidence.operations import add_photo
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.targets import Target
from audit.models.triggers import ScoreTrigger
from audit.models.visits import Visit
from audit.notifications import notify
from audit.notifications.tokens import unsubscribe_token
from audit.reports import operations as reports
from audit.review import operations as review
from audit.visits import operations as visits
from tests import support
from tests.conftest import _brand, _TestSession
from tests.support import FAST_HASH, perfect_answers, session_cookie

ROLES = ("anonymous", "shopper", "other_manager", "manager", "owner", "other_owner", "admin")
SHOPPER_NAME = "Nguyễn Bí Mật"


def jpeg(size=(64, 48), colour=(120, 160, 200)) -> bytes:
    """The small photo these tests upload."""
    return support.jpeg(size=size, colour=colour)


def _bind(connection):
    """A scoped session on `connection` whose commits only release savepoints."""
    return db._make_scoped_session({"bind": connection, "join_transaction_mode":
                                    "create_savepoint", "class_": _TestSession})


def _people(session, a, b) -> dict[str, User]:
    people = {
        "admin": User(role="admin"),
        "manager": User(role="quality_manager", brand=a.brand),
        "other_manager": User(role="quality_manager", brand=b.brand),
        "owner": User(role="franchise_owner", franchisee=a.franchisee),
        "other_owner": User(role="franchise_owner", franchisee=a.other_franchisee),
        "shopper": User(role="shopper", name=SHOPPER_NAME),
        "other_shopper": User(role="shopper"),
    }
    for key, user in people.items():
        user.email = f"{key}@security.test"
        user.name = user.name or key.replace("_", " ").title()
        user.password_hash = FAST_HASH
    session.add_all(people.values())
    session.flush()
    return people


def _campaign(session, org, today: date) -> Campaign:
    version = org.versions["care-protocol-in-person"]
    campaign = Campaign(brand=org.brand, checklist_version=version,
                        name={"en": "Wave one", "vi": "Đợt một"},
                        starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10),
                        visits_per_branch=1, channel=version.channel, allow_claims=True,
                        scenario={"en": "Ask about a phone.", "vi": "Hỏi mua điện thoại."},
                        branches=org.branches)
    session.add(campaign)
    session.flush()
    return campaign


def _visit(session, campaign: Campaign, branch, shopper, status: str = "assigned") -> Visit:
    visit = Visit(campaign=campaign, branch=branch, shopper=shopper, status=status,
                  checklist_version=campaign.checklist_version, channel=campaign.channel,
                  due_from=campaign.starts_on, due_until=campaign.ends_on)
    session.add(visit)
    session.flush()
    return visit


def build_world(session) -> SimpleNamespace:
    """Brand A (4 branches: 0 owned by franchisee A, 1 by franchisee B) and brand B; a
    published visit at branch 0 with a photo, an open dispute, an action with a photo and
    a report; a submitted visit; an open visit on the job board; a visit the shopper is
    still filling; a target; a draft checklist version."""
    today = date.today()
    a, b = _brand(session, "a", 4), _brand(session, "b", 2)
    people = _people(session, a, b)
    campaign = _campaign(session, a, today)
    _campaign(session, b, today)
    shopper, manager, owner = people["shopper"], people["manager"], people["owner"]

    visit = _visit(session, campaign, a.branches[0], shopper)
    visits.save_answers(visit, perfect_answers(visit, {"P3.1": False}), shopper)
    photo = add_photo(visit, jpeg(), question_code="P3.1", caption="Quầy", actor=shopper)
    visits.submit(visit, shopper)
    review.approve(visit, manager, visit.revision)
    dispute = disputes.open_dispute(visit, "P3.1", "We did ask.", owner)
    action = (actions.existing_for(visit, "P3.1") or actions.raise_action(
        branch=visit.branch, actor=manager, severity="minor", title="Ask questions",
        visit=visit, question_code="P3.1"))
    action_photo = actions.add_photo(action, jpeg(colour=(10, 200, 10)), "Fixed", owner)
    report = reports.render_now(owner, "visit", {"visit": visit.id}, "en")
    assert report.status == "done", report.error
    open_visit = _visit(session, campaign, a.branches[2], None, status="open")
    editable = _visit(session, campaign, a.branches[3], shopper)
    submitted = _visit(session, campaign, a.branches[0], people["other_shopper"])
    visits.save_answers(submitted, perfect_answers(submitted), people["other_shopper"])
    visits.submit(submitted, people["other_shopper"])
    target = Target(brand=a.brand, scope="brand", metric="overall", value=80,
                    due_on=today + timedelta(days=30), label="Eighty", created_by=manager)
    session.add(target)
    trigger = ScoreTrigger(brand=a.brand, condition="overall_below", threshold=60,
                           tell_owners=True, created_by=manager)
    session.add(trigger)
    message = notify(manager, "critical_fail", context={}, link="/review",
                     dedupe_key="authz-matrix")
    draft = checklists.start_draft(campaign.checklist_version.checklist, manager)
    section = draft.sections[0]
    question = section.questions[0]
    session.flush()
    tokens = {role: issue_token(user) for role, user in people.items()}
    ids = SimpleNamespace(
        brand=a.brand.id, other_brand=b.brand.id, region=a.regions[0].id,
        franchisee=a.franchisee.id, branch=a.branches[0].id, other_branch=a.branches[1].id,
        campaign=campaign.id, checklist=draft.checklist_id, version=draft.id,
        section=section.id, question=question.id, visit=visit.id, submitted=submitted.id,
        open_visit=open_visit.id, editable=editable.id, photo=photo.id, dispute=dispute.id,
        action=action.id, action_photo=action_photo.id, report=report.id, target=target.id,
        person=shopper.id, owner_person=owner.id, trigger=trigger.id, notification=message.id,
        unsubscribe=unsubscribe_token(manager.id, "critical_fail"),
    )
    users = {role: user.id for role, user in people.items()}
    return SimpleNamespace(ids=ids, users=users, tokens=tokens,
                           shopper_email=shopper.email)


@pytest.fixture(scope="module")
def world_connection(app) -> Iterator[tuple]:
    """The module's connection, its outer transaction and the world built inside it."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = _bind(connection)
        try:
            built = build_world(db.session)
            db.session.remove()
            yield connection, built
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@contextmanager
def rolled_back(app, connection) -> Iterator[None]:
    """Run inside a savepoint of the module's connection, undone afterwards."""
    with app.app_context():
        savepoint = connection.begin_nested()
        original = db.session
        db.session = _bind(connection)
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            if savepoint.is_active:
                savepoint.rollback()


@pytest.fixture
def secure_world(app, world_connection) -> Iterator[SimpleNamespace]:
    """The module's world for one test, inside a savepoint rolled back afterwards."""
    connection, built = world_connection
    with rolled_back(app, connection):
        yield built


@pytest.fixture(scope="module")
def stub_pdf_layout():
    """WeasyPrint's layout is the slow part and is about neither access nor the API's
    shapes: skip it (the report templates still render; tests/reports makes real PDFs)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audit.reports.pdf.create_pdf",
                      lambda html, **_kwargs: b"%PDF-1.7 stub\n%%EOF")
        yield


@pytest.fixture
def secure_client(app, secure_world):
    return app.test_client()


def log_in(client, user_id: int) -> None:
    """A session cookie for the user, as the log-in form leaves it."""
    session_cookie(client, db.session.get(User, user_id))


# Apps with the rate limits on (the suite's app has them off).


def limited(database_url: str, **settings) -> Flask:
    """An app on the test database with rate limits on: memory storage, small limits."""
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_TOKEN": "2 per minute", **settings,
    })


@pytest.fixture(scope="module")
def limited_app(database_url) -> Iterator[Flask]:
    app = limited(database_url)
    yield app
    with app.app_context():
        from audit.extensions import db

        db.engine.dispose()


@pytest.fixture
def limited_client(limited_app, session):
    """A client of `limited_app` with fresh counts, inside the test's rolled-back session."""
    limited_app.extensions["audit_limiter"].reset()
    return limited_app.test_client()
