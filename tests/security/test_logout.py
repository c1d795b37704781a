"""Logging out ends the session on the server (issue 13, defect 24): a copy of the session
cookie, or of a remember-me cookie, taken before the log-out no longer loads anybody, while
the person's other browsers stay logged in."""

from __future__ import annotations

from datetime import timedelta

from flask_login.utils import encode_cookie

from tests.security.test_sessions import LOGGED_IN, SENT_TO_LOGIN, logged_in, state
from tests.support import PASSWORD


def copy_of(app, browser, name="session"):
    """Another browser holding the same cookie (as a thief who copied it would)."""
    thief = app.test_client()
    thief.set_cookie(name, browser.get_cookie(name).value)
    return thief


def log_out(browser):
    response = browser.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_copied_session_cookie_stops_working_at_log_out(app, world, session):
    laptop = logged_in(app, world.people.shopper)
    stolen = copy_of(app, laptop)
    assert state(stolen) == LOGGED_IN
    log_out(laptop)
    assert state(laptop) == SENT_TO_LOGIN
    assert state(stolen) == SENT_TO_LOGIN


def test_log_out_ends_only_this_browser(app, world, session):
    shopper = world.people.shopper
    laptop, phone = logged_in(app, shopper), logged_in(app, shopper)
    phone_copy = copy_of(app, phone)
    log_out(laptop)
    assert (state(phone), state(phone_copy)) == (LOGGED_IN, LOGGED_IN)
    log_out(phone)
    assert (state(phone), state(phone_copy)) == (SENT_TO_LOGIN, SENT_TO_LOGIN)
    again = logged_in(app, shopper)  # logging in again opens a new session
    assert state(again) == LOGGED_IN


def test_remember_me_cookie_ends_with_the_log_out(app, world, session):
    """The log-in form sets no remember-me cookie; one would carry the session's id, so it
    ends with the log-out of the browser that logged in."""
    laptop = logged_in(app, world.people.shopper)
    with laptop.session_transaction() as cookie:
        session_id = cookie["_user_id"]
    with app.test_request_context():
        remembered = encode_cookie(session_id)
    before = app.test_client()
    before.set_cookie("remember_token", remembered)
    assert state(before) == LOGGED_IN
    log_out(laptop)
    after = app.test_client()
    after.set_cookie("remember_token", remembered)
    assert state(after) == SENT_TO_LOGIN


def test_session_unused_past_the_lifetime_is_over_on_the_server(app, world, session, monkeypatch):
    """The cookie's own expiry is the browser's business; the server ends a session idle
    for longer than PERMANENT_SESSION_LIFETIME whatever the cookie says."""
    from audit.auth import session as sessions

    laptop = logged_in(app, world.people.shopper)
    later = sessions.utcnow() + app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1)
    monkeypatch.setattr(sessions, "utcnow", lambda: later)
    assert state(laptop) == SENT_TO_LOGIN


def test_wrong_password_opens_nothing(app, world, session):
    browser = app.test_client()
    response = browser.post(
        "/login", data={"email": world.people.shopper.email, "password": PASSWORD + "x"}
    )
    assert response.status_code == 401
    assert state(browser) == SENT_TO_LOGIN
