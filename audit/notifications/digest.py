"""The daily digest: at DIGEST_HOUR on the app's clock (APP_TIMEZONE), one e-mail per person
listing the messages they chose to get by digest and have not had yet. The person's day is
claimed first (notification_preferences.last_digest_on), so a second tick the same day
sends nothing; a digest the server refused gives the day back, and a later tick retries it
after the same delays as a single e-mail (MAIL_RETRY_MINUTES), then marks its messages
failed. No transaction stays open while the server is talking (see sending.send)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select, update

from audit.core.clock import utcnow
from audit.db_setup import writing
from audit.extensions import db
from audit.models.auth import User
from audit.models.notifications import Notification, NotificationPreference
from audit.notifications import compose, mailer, sending

log = logging.getLogger(__name__)


def local_today(now: datetime) -> tuple[date, int]:
    """The date and hour of `now` on the app's clock."""
    local = now.astimezone(ZoneInfo(current_app.config.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh")))
    return local.date(), local.hour


def _waiting(now: datetime, user_id: int | None = None):  # noqa: ANN202 - a Select
    """Digest messages not yet sent whose retry delay (after a refusal) has passed."""
    query = select(Notification).where(
        Notification.delivery == "digest",
        Notification.digested_at.is_(None),
        Notification.created_at <= now,
        or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
    )
    return query if user_id is None else query.where(Notification.user_id == user_id)


def _claim_day(user_id: int, today: date) -> tuple[bool, date | None]:
    """Take the person's digest of `today`; (taken, the day it replaced)."""
    if db.session.get(NotificationPreference, user_id) is None:
        db.session.add(NotificationPreference(user_id=user_id, choices={}))
        db.session.flush()
    before = db.session.scalar(
        select(NotificationPreference.last_digest_on).filter_by(user_id=user_id)
    )
    taken = db.session.execute(
        update(NotificationPreference)
        .where(
            NotificationPreference.user_id == user_id,
            or_(
                NotificationPreference.last_digest_on.is_(None),
                NotificationPreference.last_digest_on < today,
            ),
        )
        .values(last_digest_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1, before


def _give_back(user_id: int, before: date | None) -> None:
    db.session.execute(
        update(NotificationPreference).filter_by(user_id=user_id).values(last_digest_on=before)
    )


def _refused(user_id: int, ids: list[int], before: date | None, exc: Exception,
             now: datetime) -> None:
    """The day is given back; each message waits its next delay, or fails after the last."""
    error = sending.describe(exc)
    log.warning("digest of user %s refused: %s", user_id, error)
    _give_back(user_id, before)
    for row in db.session.scalars(select(Notification).where(Notification.id.in_(ids))):
        row.attempts += 1
        sending.refused(row, error, now)
        if row.mail_status == "failed":
            row.digested_at = now  # out of the digests to come
    db.session.commit()


def send_digest(user: User, today: date, now: datetime) -> bool:
    """One person's digest of `today`; False when already sent, empty or refused."""
    db.session.commit()  # the claim begins a transaction of its own
    with writing():
        taken, before = _claim_day(user.id, today)
    if not taken:
        return False
    rows = list(db.session.scalars(
        _waiting(now, user.id).order_by(Notification.created_at, Notification.id)))
    ids = [row.id for row in rows]
    message = compose.digest_for(user, rows) if rows else None
    db.session.rollback()  # the read ends before the conversation
    if message is None:
        with writing():
            _give_back(user.id, before)  # nothing due yet (a refused digest's delay)
            db.session.commit()
        return False
    try:
        outcome = mailer.deliver(message)
    except Exception as exc:  # noqa: BLE001 - a refusal: retried after a delay
        with writing():
            _refused(user.id, ids, before, exc, now)
        return False
    with writing():
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(digested_at=now, sent_at=utcnow(), mail_status=outcome,
                    attempts=Notification.attempts + 1, last_error="", next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return True


def run_digests(now: datetime) -> int:
    """Everybody's digest, once the day's DIGEST_HOUR has come; returns how many left."""
    today, hour = local_today(now)
    if hour < int(current_app.config.get("DIGEST_HOUR", 7)):
        return 0
    user_ids = db.session.scalars(
        _waiting(now).with_only_columns(Notification.user_id).distinct()
    ).all()
    sent = 0
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        if user is not None and user.active:
            sent += send_digest(user, today, now)
    return sent
