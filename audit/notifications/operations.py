"""Writes: reading messages, choosing deliveries, unsubscribing from a link."""

from __future__ import annotations

from sqlalchemy import update

from audit import access
from audit.core.clock import utcnow
from audit.errors import Refused
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.notifications import Notification, NotificationPreference
from audit.notifications import service
from audit.notifications.tokens import DIGEST
from audit.vocabulary import DELIVERIES, NOTICE_KINDS


def mark_read(user: User, notification_id: int) -> Notification:
    """Mark one of the person's messages read (another's is 404)."""
    n = access.notification_for(user, notification_id)
    if n.read_at is None:
        n.read_at = utcnow()
    db.session.commit()
    return n


def open_link(user: User, notification_id: int) -> str:
    """Mark the message read and give the page it points to."""
    return mark_read(user, notification_id).link or "/"


def mark_all_read(user: User) -> int:
    done = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return done


def _preference(user: User) -> NotificationPreference:
    row = db.session.get(NotificationPreference, user.id)
    if row is None:
        row = NotificationPreference(user_id=user.id, choices={})
        db.session.add(row)
    return row


def save_preferences(actor: User, wanted: dict[str, str]) -> dict[str, str]:
    """Keep the person's delivery per kind reaching their role; a kind left out keeps its
    default. Refused (422) on a kind or delivery that is not theirs to choose."""
    kinds = service.kinds_for(actor)
    unknown = {k: v for k, v in wanted.items() if k not in kinds or v not in DELIVERIES}
    if unknown:
        raise Refused(sorted(unknown))
    row = _preference(actor)
    old = dict(row.choices or {})
    new = {**old, **wanted}
    row.choices = new
    record(actor, "user", actor.id, "notification_preferences", old=old, new=new)
    db.session.commit()
    return new


def unsubscribe(token: str) -> service.Unsubscribe:
    """Turn off the e-mail a signed link names: that kind (or every digest kind) becomes
    "in the app only". No log-in: the signature is the authority."""
    target = service.unsubscribe_target(token)
    user = target.user
    row = _preference(user)
    old = dict(row.choices or {})
    if target.kind == DIGEST:
        kinds = [k for k in service.kinds_for(user) if old.get(k, NOTICE_KINDS[k][1]) == "digest"]
    else:
        kinds = [target.kind]
    row.choices = {**old, **dict.fromkeys(kinds, "in_app")}
    record(None, "user", user.id, "unsubscribed", old=old, new=row.choices)
    db.session.commit()
    return target
