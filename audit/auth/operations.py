"""Checking credentials and issuing or revoking API tokens."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from audit.auth import lockout
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import ApiToken, LoginSession, User

# Compared against when the e-mail is unknown, so both paths cost one hash check.
_DUMMY_HASH = "scrypt:32768:8:1$dummysaltdummys$" + "0" * 128


def authenticate(email: str, password: str, channel: str = "form") -> User | None:
    """The active, unlocked user with this e-mail and password, else None. Failures are
    counted towards the account's lockout; `channel` (the log-in form "form", the token
    endpoint "api", the change-password page "password") goes to the lockout's log entry."""
    email = (email or "").strip().lower()
    user = db.session.scalars(select(User).where(func.lower(User.email) == email)).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    password_ok = user.check_password(password or "")  # checked even when locked: same time
    now = utcnow()
    if lockout.is_locked(user, now) or not user.active:
        return None
    if not password_ok:
        lockout.record_failure(user, now, channel)
        return None
    lockout.record_success(user, now, log_in=channel != "password")
    return user


def change_password(user: User, password: str, actor: User | None) -> None:
    """Set a new password (the policy applies: WeakPasswordError), which ends the person's
    sessions opened with the old one (`User.set_password` replaces the session key, and
    their log-in rows go; the changer's browser opens a new one), revoke
    their API tokens (a password is changed when it may have leaked, and a token issued
    with it must not outlive it), lift a lockout (a locked-out person is who asks for a new
    one), and log who changed it (`actor`: the person, an admin or manager, None from the command
    line), never the password."""
    user.set_password(password)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    revoke_tokens(user)
    record(actor, "user", user.id, "password_changed")
    lockout.lift(user, actor)
    db.session.commit()


def revoke_tokens(user: User) -> int:
    """Revoke every live API token of `user` (in the caller's transaction); how many."""
    return db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                                     ApiToken.revoked_at.is_(None))
                              .values(revoked_at=utcnow())).rowcount


def issue_token(user: User) -> str:
    """Create a token for `user` and return it in clear (it is never shown again)."""
    row, clear = ApiToken.issue(user, current_app.config["TOKEN_LIFETIME_DAYS"])
    db.session.add(row)
    db.session.commit()
    return clear


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    db.session.commit()
