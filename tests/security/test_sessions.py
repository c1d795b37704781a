"""A new password or a deactivated account ends the person's other sessions: the session
cookie holds "<id>:<session key>:<log-in secret>" (audit.auth.session.session_id), the key
is replaced with every new password, and the user loader refuses a stale key, a log-in
that ended or an inactive account (logging out: test_logout.py)."""

from __future__ import annotations

import pytest
from flask_login.utils import encode_cookie
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.auth import User
from audit.privacy import subject
from tests.support import PASSWORD

NEW_PASSWORD = "ba con cá vàng bơi"


def logged_in(app, user, password=PASSWORD):
    """A browser that logged in through the form."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def state(browser) -> tuple[int, str]:
    """What a page asks of the browser: 200 (logged in) or 302 to the log-in page."""
    response = browser.get("/account/password", headers={"Accept-Language": "en"})
    return response.status_code, response.headers.get("Location", "")


LOGGED_IN = (200, "")
SENT_TO_LOGIN = (302, "/login?next=%2Faccount%2Fpassword")


def change(browser, current=PASSWORD, new=NEW_PASSWORD):
    return browser.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": new})


def cookie_user_id(browser) -> str | None:
    with browser.session_transaction() as cookie:
        return cookie.get("_user_id")


def test_password_change_ends_the_other_sessions_not_the_changers(app, world, session,
                                                                   token_for):
    shopper = world.people.shopper
    bearer = token_for(shopper)
    laptop, phone = logged_in(app, shopper), logged_in(app, shopper)
    other_person = logged_in(app, world.people.other_shopper)
    assert cookie_user_id(laptop).startswith(f"{shopper.id}::")  # no key yet
    assert cookie_user_id(phone).startswith(f"{shopper.id}::")
    assert cookie_user_id(laptop) != cookie_user_id(phone)  # one log-in each
    assert (state(laptop), state(phone)) == (LOGGED_IN, LOGGED_IN)

    response = change(laptop)
    assert (response.status_code, response.headers["Location"]) == (302, "/")

    session.refresh(shopper)
    assert len(shopper.session_key) == 22  # token_urlsafe(16)
    assert cookie_user_id(laptop).startswith(f"{shopper.id}:{shopper.session_key}:")  # anew
    assert "Đã đổi mật khẩu của bạn." in laptop.get(
        "/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert state(laptop) == LOGGED_IN
    assert state(phone) == SENT_TO_LOGIN
    assert phone.get("/api/v1/me").status_code == 401  # the API by cookie too
    assert state(other_person) == LOGGED_IN  # only this person's sessions
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401  # token
    # The phone logs in again with the new password and gets the new id.
    phone.post("/login", data={"email": shopper.email, "password": NEW_PASSWORD})
    assert cookie_user_id(phone).startswith(f"{shopper.id}:{shopper.session_key}:")
    assert (state(phone), state(laptop)) == (LOGGED_IN, LOGGED_IN)


def test_each_change_replaces_the_key(app, world, session):
    shopper = world.people.shopper
    browser = logged_in(app, shopper)
    change(browser)
    first = cookie_user_id(browser)
    kept = app.test_client()
    with kept.session_transaction() as cookie:  # a copy of the cookie taken in between
        cookie["_user_id"], cookie["_fresh"] = first, True
    assert state(kept) == LOGGED_IN
    change(browser, current=NEW_PASSWORD, new="bốn con cá vàng bơi")
    session.refresh(shopper)
    second = cookie_user_id(browser)
    assert second.startswith(f"{shopper.id}:{shopper.session_key}:") and second != first
    assert (state(browser), state(kept)) == (LOGGED_IN, SENT_TO_LOGIN)


def test_refused_change_keeps_the_sessions(app, world, session):
    shopper = world.people.shopper
    laptop, phone = logged_in(app, shopper), logged_in(app, shopper)
    assert change(laptop, current="not my password").status_code == 400
    session.refresh(shopper)
    assert shopper.session_key is None
    assert (state(laptop), state(phone)) == (LOGGED_IN, LOGGED_IN)


def test_cli_set_password_ends_sessions_and_tokens(app, world, session, token_for):
    manager = world.people.manager
    bearer = token_for(manager)
    browser = logged_in(app, manager)
    result = app.test_cli_runner().invoke(args=["users", "set-password", manager.email,
                                                "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert state(browser) == SENT_TO_LOGIN
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "password_changed")).one()
    assert (entry.actor_id, entry.entity, entry.entity_id) == (None, "user", manager.id)
    assert state(logged_in(app, manager, NEW_PASSWORD)) == LOGGED_IN


def test_deactivated_account_is_logged_out(app, world, session, token_for):
    owner = world.people.owner
    bearer = token_for(owner)
    browser = logged_in(app, owner)
    owner.active = False
    session.flush()
    assert state(browser) == SENT_TO_LOGIN
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    assert app.test_client().post("/login", data={
        "email": owner.email, "password": PASSWORD}).status_code == 401


def test_erased_person_is_logged_out(app, world, session):
    other_shopper = world.people.other_shopper
    browser = logged_in(app, other_shopper)
    subject.erase_person(other_shopper, actor=world.people.admin)
    assert state(browser) == SENT_TO_LOGIN


@pytest.mark.parametrize("old", ["{id}", "{id}:{key}"])
def test_cookie_from_before_log_in_rows_loads_nobody(app, world, session, old):
    """Cookies from before migration 0015 name no log-in row, so no log-out could end
    them: their browsers log in once more after the upgrade."""
    shopper = world.people.shopper
    change(logged_in(app, shopper))
    old_browser = app.test_client()
    with old_browser.session_transaction() as cookie:
        cookie["_user_id"] = old.format(id=shopper.id, key=shopper.session_key)
        cookie["_fresh"] = True
    assert state(old_browser) == SENT_TO_LOGIN


@pytest.mark.parametrize("stale", ["{id}:", "{id}:not-the-key", "{id}:{key}x", ":{key}",
                                   "x{id}:{key}", "{id}", "{id}:{key}:{key}",
                                   "{id}:{key}:{secret}x", "{id}x:{key}:{secret}",
                                   "{other}:{key}:{secret}", "{id}:{key}:{secret}:",
                                   "{id}:{key}x:{secret}", "9" * 5000 + ":{key}:{secret}"])
def test_any_other_id_loads_nobody(app, world, session, stale):
    """Tampered or stale ids send the browser to the log-in page, never to an error."""
    shopper = world.people.shopper
    change(logged_in(app, shopper))
    genuine = cookie_user_id(logged_in(app, shopper, NEW_PASSWORD))
    secret = genuine.rsplit(":", 1)[1]
    for value, expected in ((genuine, LOGGED_IN), (stale, SENT_TO_LOGIN)):
        browser = app.test_client()
        with browser.session_transaction() as cookie:
            cookie["_user_id"] = value.format(id=shopper.id, key=shopper.session_key,
                                              secret=secret, other=world.people.other_shopper.id)
            cookie["_fresh"] = True
        assert state(browser) == expected


def test_remember_cookie_carries_the_same_id(app, world, session):
    """The log-in form sets no remember-me cookie; one made by Flask-Login would hold the
    session's id too, so it ends with the password like the session."""
    shopper = world.people.shopper
    response = app.test_client().post("/login", data={"email": shopper.email,
                                                      "password": PASSWORD})
    assert [c for c in response.headers.getlist("Set-Cookie") if "remember" in c] == []
    before = cookie_user_id(logged_in(app, shopper))
    browser = logged_in(app, shopper)
    change(browser)
    with app.test_request_context():
        current, stale = encode_cookie(cookie_user_id(browser)), encode_cookie(before)
    remembered, stolen = app.test_client(), app.test_client()
    remembered.set_cookie("remember_token", current)
    stolen.set_cookie("remember_token", stale)
    assert (state(remembered), state(stolen)) == (LOGGED_IN, SENT_TO_LOGIN)


def test_user_id_round_trip():
    user = User(id=7, email="a@b.c", name="A", role="shopper")
    assert (user.get_id(), user.holds_session(""), user.holds_session("k")) == ("7", True,
                                                                                 False)
    user.set_password(NEW_PASSWORD)
    key = user.session_key
    assert user.get_id() == f"7:{key}"
    assert (user.holds_session(key), user.holds_session(""), user.holds_session(key[:-1]),
            user.holds_session("ä")) == (True, False, False, False)
