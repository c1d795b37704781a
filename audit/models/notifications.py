"""A notification: one message to one person about one event, listed under the bell and,
by the person's choice, e-mailed at once or in the daily digest.

The row is written in the same transaction as the action that caused it, so a message
exists exactly when its action happened; sending the e-mail is a later job that may fail
and retry without touching the action. `dedupe_key` makes an event announce itself once
per person (the scheduled tick may run twice, or in two processes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.vocabulary import DELIVERIES

# Where the e-mail of a notification stands: none to send (in the app only, or waiting for
# the digest), queued, sent, written to the log (no MAIL_SERVER set), or failed after its
# retries.
MAIL_STATUSES = ("none", "queued", "sent", "logged", "failed")


class Notification(db.Model):
    """One message to one person; `context` holds the plain values its templates show."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(in_values("delivery", DELIVERIES), name="delivery"),
        CheckConstraint(in_values("mail_status", MAIL_STATUSES), name="mail_status"),
        UniqueConstraint("user_id", "kind", "dedupe_key", name="uq_notifications_once"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_mail_status", "mail_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    attachment_kind: Mapped[str | None] = mapped_column(String(40))
    attachment_ref: Mapped[int | None]
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    delivery: Mapped[str] = mapped_column(String(10))
    mail_status: Mapped[str] = mapped_column(String(10), default="none")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    # The earliest moment of the next e-mail attempt: set when a sender claims the message
    # (so a second sender leaves it alone) and pushed back after a refusal (the tick
    # retries it then). NULL: due at once.
    next_attempt_at: Mapped[datetime | None]
    # When a digest-delivery message went out in the person's daily digest.
    digested_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class NotificationPreference(db.Model):
    """A person's choices of delivery per kind (kinds not named keep the default of
    NOTICE_KINDS), and the local day of their last digest (one digest a day)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    choices: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_digest_on: Mapped[date | None]
