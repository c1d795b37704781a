"""Flask-Login wiring: session cookies for pages, bearer tokens for the API."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Request, current_app, g, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError

from audit.core.clock import utcnow
from audit.extensions import db, login_manager
from audit.models.auth import ApiToken, LoginSession, User

# `last_used_at` is kept to the minute: writing it on every call would put a write (and, on
# SQLite, the one write lock) on every API request, GETs included.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# A log-in's `last_seen_at`, for the same reason, to five minutes.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"


def session_id(user: User, secret: str) -> str:
    """What the session cookie holds: "<user id>:<session key>:<log-in secret>". The
    session key ends every browser at a new password (`User.session_key`), the log-in
    secret names this browser's `LoginSession`, which logging out deletes."""
    return f"{user.id}:{user.session_key or ''}:{secret}"


def open_session(user: User, *, remember: bool = False) -> None:
    """Log `user` in on this browser: a new log-in row, named in the cookie. Rows idle past
    the session lifetime (browsers closed without logging out) are deleted on the way."""
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(delete(LoginSession).where(LoginSession.last_seen_at < utcnow() - lifetime))
    row, secret = LoginSession.open(user)
    db.session.add(row)
    db.session.commit()
    login_user(user, remember=remember)
    session["_user_id"] = session_id(user, secret)


def close_session() -> None:
    """Log this browser out: its log-in row is deleted, so a copy of its session or
    remember-me cookie loads nobody; the person's other browsers keep theirs."""
    parts = _parts(session.get("_user_id") or "")
    if parts:
        db.session.execute(delete(LoginSession).where(
            LoginSession.key_hash == LoginSession.hash(parts[2])))
        db.session.commit()
    logout_user()


def _parts(value: str) -> tuple[int, str, str] | None:
    """(user id, session key, log-in secret) of a session id, None if it is not one."""
    pieces = value.split(":")
    if len(pieces) != 3 or not pieces[0].isdigit() or len(pieces[0]) > 18 or not pieces[2]:
        return None
    return int(pieces[0]), pieces[1], pieces[2]


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The active user whose session (`session_id`) the cookie names, if that log-in is
    still open: a cookie from before a password change, of a deactivated account, of a
    browser that logged out, or idle past the session lifetime loads nobody, so
    Flask-Login sends the browser to the log-in page.

    A request with a bearer token is authenticated by that token alone, whatever cookie
    comes with it: an invalid token beside a valid cookie loads nobody (401), and only a
    request its token authenticated is exempt from the CSRF check (audit.api)."""
    if has_request_context() and bearer_token(request):
        return load_user_from_token(request)
    parts = _parts(session_id)
    if parts is None:  # a cookie from before log-in rows (0015) or a tampered one
        return None
    user_id, session_key, secret = parts
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.holds_session(session_key):
        return None
    login = db.session.scalars(select(LoginSession).where(
        LoginSession.key_hash == LoginSession.hash(secret),
        LoginSession.user_id == user.id)).first()
    now = utcnow()
    if login is None or now - login.last_seen_at > current_app.config[
            "PERMANENT_SESSION_LIFETIME"]:
        return None
    if now - login.last_seen_at >= LAST_SEEN_RESOLUTION:
        login.last_seen_at = now
        try:
            db.session.commit()
        except OperationalError:  # as for a token's last use (below): a hint, retried later
            db.session.rollback()
    return user


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """Authenticate an API call by its bearer token (stored hashed, revocable)."""
    token = bearer_token(request)
    if not token:
        return None
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token))
    ).first()
    now = utcnow()
    if row is None or not row.usable(now):
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        try:
            db.session.commit()
        except OperationalError:
            # SQLite in a read-only request: another process wrote since this request's
            # first read, so this write is refused at once. The last use is a hint; a later
            # call records it, and this request goes on.
            db.session.rollback()
    g.api_token = row
    return row.user
