"""A generated report in the library: what was asked, by whom, how far it got, and where
its file is stored (behind the storage interface, never a public static file)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Brand

# "expired": a finished report whose file was deleted after REPORT_KEEP_DAYS (the row stays,
# so the library can offer to generate it again).
STATUSES = ("queued", "running", "done", "failed", "expired")
LANGS = ("vi", "en")
# A job still queued or running this long after the request was lost (its process stopped):
# the library shows it as failed instead of polling for ever. Longer than RQ's job timeout.
STALE_AFTER = timedelta(minutes=30)


class Report(db.Model):
    """One request for a report of a registered kind, and its outcome."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(in_values("status", STATUSES), name="status"),
        CheckConstraint(in_values("lang", LANGS), name="lang"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        Index("ix_reports_brand_created", "brand_id", "created_at"),
        Index("ix_reports_requester_created", "requested_by_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    lang: Mapped[str] = mapped_column(String(5))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[int] = mapped_column(default=0)
    # A msgid (translated when shown) or, for unexpected failures, the exception's text.
    error: Mapped[str] = mapped_column(Text, default="")
    storage_key: Mapped[str | None] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(80), default="application/pdf")
    filename: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expired_at: Mapped[datetime | None]

    brand: Mapped[Brand | None] = relationship()
    requested_by: Mapped[User] = relationship()

    @property
    def is_stale(self) -> bool:
        created = self.created_at.replace(tzinfo=None)
        return (self.status in ("queued", "running")
                and created < utcnow().replace(tzinfo=None) - STALE_AFTER)

    @property
    def shown_status(self) -> str:
        """The status readers see: a lost job counts as failed."""
        return "failed" if self.is_stale else self.status

    @property
    def is_pending(self) -> bool:
        return self.shown_status in ("queued", "running")

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.kind} {self.status}>"
