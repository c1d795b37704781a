"""The one way a feature sends a message: `notify`. It writes the notification row in the
caller's transaction; e-mail is sent later by a job, so a mail server that is down never
blocks or undoes the action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from audit.extensions import db
from audit.models.auth import User
from audit.models.notifications import Notification, NotificationPreference
from audit.vocabulary import DELIVERIES, NOTICE_KINDS


@dataclass(frozen=True)
class Attachment:
    """A file made when the e-mail is sent, as its recipient may see it (a visit's PDF,
    a comparison report): `kind` names a renderer registered by the feature that owns
    the file, `ref` the record it is made from."""

    kind: str
    ref: int


# kind -> renderer(user, ref) -> (filename, bytes, media type), or None when the record
# is gone or out of the person's scope by the time the message is sent.
Renderer = Callable[[User, int], "tuple[str, bytes, str] | None"]
_RENDERERS: dict[str, Renderer] = {}


def register_attachment(kind: str, renderer: Renderer) -> None:
    """Let a higher feature (reports) make the files that messages attach."""
    _RENDERERS[kind] = renderer


def renderer(kind: str) -> Renderer | None:
    return _RENDERERS.get(kind)


def default_delivery(kind: str) -> str:
    return NOTICE_KINDS[kind][1]


def chosen_delivery(user: User, kind: str) -> str:
    """The person's choice for `kind` (preferences page, unsubscribe link), else the
    kind's default."""
    choices = (
        db.session.scalar(select(NotificationPreference.choices).filter_by(user_id=user.id)) or {}
    )
    choice = choices.get(kind)
    return choice if choice in DELIVERIES else default_delivery(kind)


def notify(
    user: User,
    kind: str,
    *,
    context: dict[str, Any],
    link: str,
    attachment: Attachment | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Record a message of `kind` for `user`; None when the person is inactive, the kind
    does not reach their role, or the same (kind, dedupe_key) was already announced.

    Delivered as the person chose (e-mail at once, daily digest, in the app only); an
    e-mail at once is handed to the job queue when the caller's transaction commits
    (`audit.notifications.outbox`), never before, so a rolled-back action sends nothing."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not user.active or user.role not in NOTICE_KINDS[kind][0]:
        return None
    if dedupe_key is not None and db.session.scalar(
        select(Notification.id).filter_by(user_id=user.id, kind=kind, dedupe_key=dedupe_key)
    ):
        return None
    delivery = chosen_delivery(user, kind)
    row = Notification(
        user_id=user.id,
        kind=kind,
        context=context,
        link=link,
        attachment_kind=attachment.kind if attachment else None,
        attachment_ref=attachment.ref if attachment else None,
        dedupe_key=dedupe_key,
        delivery=delivery,
        mail_status="queued" if delivery == "email" else "none",
    )
    db.session.add(row)
    return row
