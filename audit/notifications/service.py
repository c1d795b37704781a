"""Reads: the bell's count, a person's list, their preferences, the admin's delivery log,
and what an unsubscribe link names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.errors import OutOfScope
from audit.extensions import db
from audit.labels import DELIVERY, NOTICE_KIND
from audit.models.auth import User
from audit.models.notifications import MAIL_STATUSES, Notification, NotificationPreference
from audit.notifications import compose
from audit.notifications.core import chosen_delivery, default_delivery
from audit.notifications.tokens import DIGEST, read_unsubscribe_token
from audit.vocabulary import NOTICE_KINDS

PER_PAGE = 20
LOG_PER_PAGE = 50


@dataclass(frozen=True)
class Item:
    """One line of the list: the message and its subject in the reader's language."""

    notification: Notification
    subject: str


def unread_count(user: User) -> int:
    """The bell's number: one COUNT on (user, created) index."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def subject_of(n: Notification) -> str:
    """The message's subject line in the current request's language."""
    return compose.subject(n, compose.values_for(n, external=False))


def page(user: User, number: int = 1, per_page: int = PER_PAGE) -> tuple[Any, list[Item]]:
    """The person's messages, newest first."""
    query = access.notifications_query(user).order_by(
        Notification.created_at.desc(), Notification.id.desc()
    )
    pagination = db.paginate(query, page=number, per_page=per_page, error_out=False)
    return pagination, [Item(n, subject_of(n)) for n in pagination.items]


def kinds_for(user: User) -> list[str]:
    """The kinds that reach the person's role, in the vocabulary's order."""
    return [kind for kind, (roles, _) in NOTICE_KINDS.items() if user.role in roles]


@dataclass(frozen=True)
class Choice:
    kind: str
    label: str
    default: str
    chosen: str


def preferences(user: User) -> list[Choice]:
    """Each kind reaching the person, its default and their current choice."""
    return [
        Choice(kind, str(NOTICE_KIND[kind]), default_delivery(kind), chosen_delivery(user, kind))
        for kind in kinds_for(user)
    ]


def choices(user: User) -> dict[str, str]:
    row = db.session.get(NotificationPreference, user.id)
    return dict(row.choices) if row else {}


def delivery_log(status: str | None = None, number: int = 1) -> Any:
    """Every message, newest first, for the administrator; filtered by e-mail status."""
    query = (
        select(Notification)
        .options(selectinload(Notification.user))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if status in MAIL_STATUSES:
        query = query.where(Notification.mail_status == status)
    return db.paginate(query, page=number, per_page=LOG_PER_PAGE, error_out=False)


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    kind: str  # a kind, or DIGEST
    label: str


def unsubscribe_target(token: str) -> Unsubscribe:
    """What a genuine link turns off; OutOfScope (404) for a changed or stale one."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None or (found[1] != DIGEST and found[1] not in NOTICE_KINDS):
        raise OutOfScope
    kind = found[1]
    label = str(DELIVERY["digest"]) if kind == DIGEST else str(NOTICE_KIND[kind])
    return Unsubscribe(user, kind, label)
