"""A franchise owner's dispute of one answer of a published visit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.checklists import Question
from audit.models.visits import Visit
from audit.vocabulary import DISPUTE_STATUSES

_OPEN = text("status = 'open'")


class Dispute(db.Model):
    """An owner contests the answer to `question` on `visit`; a manager accepts (the answer
    changes and the visit is rescored) or rejects it with a reason.

    Only one dispute per answer may be open at a time (a partial unique index). The record
    names the owner and the manager, never the shopper.
    """

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint(in_values("status", DISPUTE_STATUSES), name="status"),
        CheckConstraint("status = 'open' OR resolved_at IS NOT NULL", name="resolved"),
        Index("ix_disputes_one_open", "visit_id", "question_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_disputes_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text)
    proposed_value: Mapped[Any | None] = mapped_column(db.JSON)
    proposed_na: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)

    visit: Mapped[Visit] = relationship()
    question: Mapped[Question] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    __mapper_args__ = {"version_id_col": revision}

    @property
    def has_proposal(self) -> bool:
        return self.proposed_na or self.proposed_value is not None

    def __repr__(self) -> str:
        return f"<Dispute {self.id} {self.status}>"
