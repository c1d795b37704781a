"""The audit log: who changed what, when, from which value to which, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auth import User


class AuditLog(db.Model):
    """One recorded change; never deleted by the application, and updated only where the
    retention purge or an erasure blanks a copy of free text it removed elsewhere."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[Any | None] = mapped_column(db.JSON)
    new_value: Mapped[Any | None] = mapped_column(db.JSON)
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


def record(
    actor: User | None,
    entity: str,
    entity_id: int,
    action: str,
    *,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditLog:
    """Add an audit entry to the current session (committed with the change it records)."""
    entry = AuditLog(
        actor=actor, entity=entity, entity_id=entity_id, action=action,
        field=field, old_value=old, new_value=new, reason=reason,
    )
    db.session.add(entry)
    return entry
