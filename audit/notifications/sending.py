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
from audit.db_setup import writing
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

    No transaction stays open while the server is talking: a claim (written and committed),
    then the message composed from a read that ends before the SMTP conversation, then the
    outcome written in a transaction of its own that takes the write lock first. On SQLite a
    read held across the conversation could not write afterwards once another sender had
    committed ("database is locked" at once), and the message would leave twice."""
    now = now or utcnow()
    db.session.commit()  # the claim begins a transaction of its own (send_due has read)
    try:
        with writing():
            if not claim(notification_id, now):
                return False
        message = compose.message_for(db.session.get(Notification, notification_id))
        db.session.rollback()  # the read ends here, before the conversation
    except Exception as exc:  # noqa: BLE001 - template or renderer: retried
        db.session.rollback()
        with writing():
            _failed(db.session.get(Notification, notification_id), exc, now)
        return False
    try:
        outcome = mailer.deliver(message)
    except Exception as exc:  # noqa: BLE001 - the SMTP server refused or is away: retried
        with writing():
            _failed(db.session.get(Notification, notification_id), exc, now)
        return False
    try:
        with writing():
            db.session.execute(
                update(Notification)
                .where(Notification.id == notification_id)
                .values(mail_status=outcome, sent_at=utcnow(), next_attempt_at=None,
                        last_error="")
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
        return True
    except Exception:  # noqa: BLE001 - it left; its claim keeps it from leaving again soon
        db.session.rollback()
        log.exception("notification %s: sent, but its outcome was not recorded", notification_id)
        return True


def describe(exc: Exception) -> str:
    """The reason kept in the delivery log for a refusal."""
    return f"{type(exc).__name__}: {exc}"[:1000]


def refused(row: Notification, error: str, now: datetime) -> None:
    """After an attempt was refused (its `attempts` already counted): the next attempt
    after its delay (MAIL_RETRY_MINUTES), or failed after the last one. A single e-mail
    and a digest follow the same rule."""
    delays = current_app.config.get("MAIL_RETRY_MINUTES", (1, 5, 30))
    row.last_error = error
    if row.attempts <= len(delays):
        row.next_attempt_at = now + timedelta(minutes=delays[row.attempts - 1])
    else:
        row.mail_status, row.next_attempt_at = "failed", None


def _failed(row: Notification, exc: Exception, now: datetime) -> None:
    refused(row, describe(exc), now)
    if row.mail_status == "failed":
        log.error(
            "notification %s: failed after %s attempts: %s", row.id, row.attempts, row.last_error
        )
    else:
        log.warning(
            "notification %s: attempt %s refused (%s); retried at %s",
            row.id,
            row.attempts,
            row.last_error,
            row.next_attempt_at,
        )
    db.session.commit()


def send_due(now: datetime | None = None) -> int:
    """Send every queued message that is due (new ones whose job was lost, retries whose
    delay has passed); the tick runs it, tests call it to send synchronously."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(Notification.id).where(_due(now)).order_by(Notification.id)
    ).all()
    return sum(send(ident, now) for ident in ids)
