"""Account lockout: counted in the database, for the form and the token endpoint alike,
cleared by a success, answered exactly like a wrong password, logged on every lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.models.auditlog import AuditLog
from tests.support import PASSWORD

MESSAGE_EN = ("Wrong e-mail or password. After 5 failed attempts in a row the account is "
              "locked for 15 minutes.")


def form(client, email, password="wrong password"):
    return client.post("/login", data={"email": email, "password": password},
                       headers={"Accept-Language": "en"})


def token(client, email, password="wrong password"):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password},
                       headers={"Accept-Language": "en"})


def lockouts(session, user):
    return session.scalars(select(AuditLog).where(
        AuditLog.entity == "user", AuditLog.entity_id == user.id,
        AuditLog.action == "locked")).all()


def test_four_failures_count_the_fifth_locks_for_15_minutes(client, world, session):
    shopper = world.people.shopper
    for n in range(1, 5):
        assert form(client, shopper.email).status_code == 401
        session.refresh(shopper)
        assert (shopper.failed_logins, shopper.locked_until) == (n, None)
    before = utcnow()
    form(client, shopper.email)
    after = utcnow()
    session.refresh(shopper)
    assert shopper.failed_logins == 0
    assert before + timedelta(minutes=15) <= shopper.locked_until <= after + timedelta(minutes=15)
    [entry] = lockouts(session, shopper)
    assert entry.actor_id is None and entry.field == "locked_until"
    assert entry.new_value["failed_logins"] == 5 and entry.new_value["channel"] == "form"
    assert entry.new_value["until"] == shopper.locked_until.isoformat()


def test_locked_account_refuses_the_right_password_on_form_and_api(client, world, session):
    shopper = world.people.shopper
    for _ in range(5):
        form(client, shopper.email)
    right = form(client, shopper.email, PASSWORD)
    assert right.status_code == 401
    assert MESSAGE_EN in right.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    api = token(client, shopper.email, PASSWORD)
    assert api.status_code == 401 and api.get_json() == {"error": MESSAGE_EN}


def test_token_failures_lock_the_form_too(client, world, session):
    owner = world.people.owner
    assert [token(client, owner.email).status_code for _ in range(5)] == [401] * 5
    [entry] = lockouts(session, owner)
    assert entry.new_value["channel"] == "api"
    assert form(client, owner.email, PASSWORD).status_code == 401


def test_answer_does_not_reveal_whether_the_email_exists(client, world, session):
    shopper = world.people.shopper
    for _ in range(5):
        form(client, shopper.email)
    answers = [token(client, shopper.email, PASSWORD),  # locked, right password
               token(client, shopper.email),  # locked, wrong password
               token(client, world.people.manager.email),  # exists, wrong password
               token(client, "nobody@example.test")]  # unknown e-mail
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {
        (401, answers[0].get_data(as_text=True))}
    pages = [form(client, shopper.email, PASSWORD), form(client, "nobody@example.test")]
    assert all(p.status_code == 401 and MESSAGE_EN in p.get_data(as_text=True) for p in pages)


def test_failures_while_locked_neither_count_nor_extend(client, world, session):
    shopper = world.people.shopper
    for _ in range(5):
        form(client, shopper.email)
    session.refresh(shopper)
    until = shopper.locked_until
    for _ in range(6):
        form(client, shopper.email)
    session.refresh(shopper)
    assert (shopper.failed_logins, shopper.locked_until) == (0, until)
    assert len(lockouts(session, shopper)) == 1


def test_lock_ends_after_its_time(client, world, session):
    shopper = world.people.shopper
    for _ in range(5):
        form(client, shopper.email)
    session.refresh(shopper)
    shopper.locked_until = utcnow() - timedelta(seconds=1)
    session.flush()
    assert form(client, shopper.email, PASSWORD).status_code == 302
    session.refresh(shopper)
    assert (shopper.failed_logins, shopper.last_failed_login_at, shopper.locked_until) == (
        0, None, None)


def test_success_resets_the_count(client, world, session):
    shopper = world.people.shopper
    for _ in range(4):
        form(client, shopper.email)
    assert token(client, shopper.email, PASSWORD).status_code == 201
    session.refresh(shopper)
    assert shopper.failed_logins == 0
    for _ in range(4):
        form(client, shopper.email)
    session.refresh(shopper)
    assert (shopper.failed_logins, shopper.locked_until) == (4, None)


def test_an_old_failure_starts_the_count_again(client, world, session):
    shopper = world.people.shopper
    shopper.failed_logins = 4
    shopper.last_failed_login_at = utcnow() - timedelta(minutes=16)
    session.flush()
    form(client, shopper.email)
    session.refresh(shopper)
    assert (shopper.failed_logins, shopper.locked_until) == (1, None)
    shopper.failed_logins = 4
    shopper.last_failed_login_at = utcnow() - timedelta(minutes=14)
    session.flush()
    form(client, shopper.email)
    session.refresh(shopper)
    assert shopper.failed_logins == 0 and shopper.locked_until is not None


@pytest.mark.parametrize(("attempts", "minutes", "message"), [
    (3, 30, "After 3 failed attempts in a row the account is locked for 30 minutes."),
    (2, 5, "After 2 failed attempts in a row the account is locked for 5 minutes."),
])
def test_lockout_is_configurable(app, client, world, session, monkeypatch, attempts, minutes,
                                 message):
    monkeypatch.setitem(app.config, "LOCKOUT_ATTEMPTS", attempts)
    monkeypatch.setitem(app.config, "LOCKOUT_MINUTES", minutes)
    shopper = world.people.shopper
    for _ in range(attempts - 1):
        form(client, shopper.email)
    session.refresh(shopper)
    assert shopper.locked_until is None
    before = utcnow()
    answer = form(client, shopper.email)
    assert message in answer.get_data(as_text=True)
    session.refresh(shopper)
    assert shopper.locked_until >= before + timedelta(minutes=minutes)
    assert shopper.locked_until <= utcnow() + timedelta(minutes=minutes)


def test_lockout_settings_from_the_environment(monkeypatch):
    from audit.config import load_config

    monkeypatch.setenv("LOCKOUT_ATTEMPTS", "8")
    monkeypatch.setenv("LOCKOUT_MINUTES", "60")
    config = load_config("development")
    assert (config.LOCKOUT_ATTEMPTS, config.LOCKOUT_MINUTES) == (8, 60.0)


def test_cli_unlock_lifts_the_lock_and_logs_it(app, client, world, session):
    shopper = world.people.shopper
    for _ in range(5):
        form(client, shopper.email)
    result = app.test_cli_runner().invoke(args=["users", "unlock", shopper.email.upper()])
    assert result.exit_code == 0, result.output
    assert result.output == f"Unlocked {shopper.email}.\n"
    session.refresh(shopper)
    assert shopper.locked_until is None
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "unlocked")).one()
    assert entry.entity_id == shopper.id
    assert form(client, shopper.email, PASSWORD).status_code == 302
