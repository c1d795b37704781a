"""Flask-Login wiring: session cookies for pages, bearer tokens for the API."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Request, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from audit.auth.models import ApiToken, User, utcnow
from audit.extensions import db, login_manager

# `last_used_at` is kept to the minute: writing it on every call would put a write (and, on
# SQLite, the one write lock) on every API request, GETs included.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The active user whose current id (`User.get_id`: "<id>:<session key>") the cookie
    holds; a cookie from before a password change, or of a deactivated account, loads
    nobody, so Flask-Login sends the browser to the log-in page.

    A request with a bearer token is authenticated by that token alone, whatever cookie
    comes with it: an invalid token beside a valid cookie loads nobody (401), and only a
    request its token authenticated is exempt from the CSRF check (audit.api)."""
    if has_request_context() and bearer_token(request):
        return load_user_from_token(request)
    user_id, _, session_key = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or not user.holds_session(session_key):
        return None
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
