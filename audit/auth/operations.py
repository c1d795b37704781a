"""Checking credentials and issuing or revoking API tokens."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from audit.auth.models import ApiToken, User, utcnow
from audit.extensions import db

# Compared against when the e-mail is unknown, so both paths cost one hash check.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummys$" + "0" * 128


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None."""
    email = (email or "").strip().lower()
    user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
    if user is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.active or not user.check_password(password or ""):
        return None
    return user


def issue_token(user: User) -> str:
    """Create a token for `user` and return it in clear (it is never shown again)."""
    row, clear = ApiToken.issue(user, current_app.config["TOKEN_LIFETIME_DAYS"])
    db.session.add(row)
    db.session.commit()
    return clear


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    db.session.commit()
