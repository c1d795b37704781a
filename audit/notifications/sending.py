"""Sending the e-mail of one notification, as a job: claim it, compose it, hand it to the
server, record the outcome. A refusal is kept (attempts, last error) and retried after
MAIL_RETRY_MINUTES by the tick; after the last one the message is marked failed in the
delivery log. Nothing here raises into the action that caused the message: that action
committed before the job was queued."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from audit.core import background
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.notifications import Notification
from audit.notifications import compose, mailer

log = logging.getLogger(__name__)
SETTING = "MAIL_BACKEND"
CLAIM = timedelta(minutes=10)  # a sender that died mid-send frees the message after this
JOB_TIMEOUT = 5 * 60


def enqueue(notification_id: int) -> None:
    """Hand one message to the job back end (MAIL_BACKEND, else RQ or the thread pool)."""
    background.enqueue(
        send,
        notification_id,
        setting=SETTING,
        queue_name=current_app.config.get("MAIL_QUEUE", "mail"),
        timeout=JOB_TIMEOUT,
    )


def _due(now: datetime):  # noqa: ANN202 - a SQL condition
    return (Notification.mail_status == "queued") & or_(
        Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now
    )


def claim(notification_id: int, now: datetime) -> bool:
    """Take the message for one attempt, so a second sender (the tick beside the job, two
    workers) leaves it alone; counts the attempt."""
    taken = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, _due(now))
        .values(attempts=Notification.attempts + 1, next_attempt_at=now + CLAIM)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def send(notification_id: int, now: datetime | None = None) -> bool:
    """The job: send one queued message if it is due; True when it left (or was logged).

    No transaction here reads and then writes: on SQLite a write in a transaction whose
    snapshot another process has changed since fails at once ("database is locked", no
    busy timeout waits it out), and a message that left but was not recorded as sent would
    be sent again when its claim runs out. So the message is composed in a transaction
    that only reads, and each outcome is written by a transaction that starts writing."""
    now = now or utcnow()
    try:
        if not claim(notification_id, now):
            return False
        try:
            row = db.session.get(Notification, notification_id)
            db.session.refresh(row)
            message = compose.message_for(row)
            attempts = row.attempts
            db.session.commit()  # the read ends before anything is written
            outcome = mailer.deliver(message)
        except Exception as exc:  # noqa: BLE001 - SMTP, template or renderer: retried
            db.session.rollback()
            attempts = db.session.scalar(
                select(Notification.attempts).where(Notification.id == notification_id)
            )
            db.session.commit()
            _failed(notification_id, attempts, exc, now)
            return False
        _write(
            notification_id,
            mail_status=outcome,
            sent_at=utcnow(),
            next_attempt_at=None,
            last_error="",
        )
        log.debug("notification %s: %s after %s attempt(s)", notification_id, outcome, attempts)
        return True
    except Exception:  # noqa: BLE001 - the database itself: the tick tries again
        db.session.rollback()
        log.exception("notification %s: sending failed", notification_id)
        return False


def _write(notification_id: int, **values: object) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _failed(notification_id: int, attempts: int, exc: Exception, now: datetime) -> None:
    """Keep the reason; retry after the next delay, or give up after the last one."""
    delays = current_app.config.get("MAIL_RETRY_MINUTES", (1, 5, 30))
    error = f"{type(exc).__name__}: {exc}"[:1000]
    if attempts <= len(delays):
        retry_at = now + timedelta(minutes=delays[attempts - 1])
        _write(notification_id, last_error=error, next_attempt_at=retry_at)
        log.warning(
            "notification %s: attempt %s refused (%s); retried at %s",
            notification_id,
            attempts,
            error,
            retry_at,
        )
    else:
        _write(notification_id, last_error=error, mail_status="failed", next_attempt_at=None)
        log.error("notification %s: failed after %s attempts: %s", notification_id, attempts, error)


def send_due(now: datetime | None = None) -> int:
    """Send every queued message that is due (new ones whose job was lost, retries whose
    delay has passed); the tick runs it, tests call it to send synchronously."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(Notification.id).where(_due(now)).order_by(Notification.id)
    ).all()
    return sum(send(ident, now) for ident in ids)
