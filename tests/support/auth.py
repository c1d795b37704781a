"""Logging a test client in: through the form, or straight into the session cookie."""

from __future__ import annotations

from werkzeug.security import generate_password_hash

from audit.auth.session import session_id
from audit.extensions import db
from audit.models.auth import LoginSession, User

PASSWORD = "correct horse battery"
# Every test user gets this password with a cheap hash (the real cost is tested apart).
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def login(client, user: User):
    """Log `client` in as `user` through the log-in form; the form's answer is returned."""
    return client.post("/login", data={"email": user.email, "password": PASSWORD})


def session_cookie(client, user: User) -> str:
    """Log `client` in as `user` without the form (no password hash to check): a log-in
    row and the session id the form would have put in the cookie, which is returned."""
    row, secret = LoginSession.open(user)
    db.session.add(row)
    db.session.commit()
    value = session_id(user, secret)
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = value, True
    return value
