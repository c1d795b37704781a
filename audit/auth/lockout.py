"""Account lockout after repeated failed log-ins, counted in the database so that every
app process sees the same count.

LOCKOUT_ATTEMPTS failures in a row, each within LOCKOUT_MINUTES of the one before, lock the
account for LOCKOUT_MINUTES, for the log-in form and the API token endpoint alike; a
successful log-in clears the count. Each lockout is written to the audit log. The caller
answers a locked account exactly as a wrong password, so nobody learns from the answer
whether an e-mail address has an account."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import case, or_, update

from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User


def _settings() -> tuple[int, timedelta]:
    config = current_app.config
    return int(config.get("LOCKOUT_ATTEMPTS", 5)), timedelta(
        minutes=float(config.get("LOCKOUT_MINUTES", 15)))


def failure_message() -> str:
    """The one answer to any failed log-in: unknown e-mail, wrong password or locked."""
    attempts, duration = _settings()
    return _("Wrong e-mail or password. After %(attempts)d failed attempts in a row the account "
             "is locked for %(minutes)d minutes.",
             attempts=attempts, minutes=round(duration.total_seconds() / 60))


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def record_failure(user: User, now: datetime, channel: str) -> bool:
    """Count a failed log-in (atomically, across processes); lock the account when the
    count reaches the limit. True when this failure locked it."""
    attempts, duration = _settings()
    if attempts <= 0:
        return False
    restart = or_(User.last_failed_login_at.is_(None), User.last_failed_login_at < now - duration)
    count = db.session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=case((restart, 1), else_=User.failed_logins + 1),
                last_failed_login_at=now)
        .returning(User.failed_logins),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    locked = False
    if count >= attempts:
        until = now + duration
        # Only one of several concurrent failures wins this update and logs the lockout.
        locked = db.session.execute(
            update(User).where(User.id == user.id, User.failed_logins >= attempts)
            .values(failed_logins=0, locked_until=until),
            execution_options={"synchronize_session": False},
        ).rowcount == 1
        if locked:
            record(None, "user", user.id, "locked", field="locked_until", new={
                "until": until.isoformat(), "failed_logins": count, "channel": channel,
                "address": request.remote_addr if has_request_context() else None,
            }, reason=f"{count} failed log-ins in a row")
    db.session.commit()
    db.session.refresh(user)
    return locked


def record_success(user: User, now: datetime, log_in: bool = True) -> None:
    """A successful password check clears the failure count; a log-in (not the check of
    the current password on the change-password page) is kept as the last log-in: one
    write per log-in, never per request."""
    user.failed_logins, user.last_failed_login_at, user.locked_until = 0, None, None
    if log_in:
        user.last_login_at = now
    db.session.commit()


def lift(user: User, actor: User | None) -> None:
    """Clear the failure count and any lockout, logging a lockout that was lifted early
    (committed with the caller's change)."""
    if user.locked_until is not None:
        record(actor, "user", user.id, "unlocked", field="locked_until",
               old=user.locked_until.isoformat())
    user.failed_logins, user.last_failed_login_at, user.locked_until = 0, None, None


def unlock(user: User, actor: User | None) -> None:
    """Lift a lockout before it ends (an administrator's decision, logged)."""
    lift(user, actor)
    db.session.commit()
