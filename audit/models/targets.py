"""Time-bound targets: a brand, region or branch, a metric, a value and a due date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Branch, Brand, Region
from audit.vocabulary import DIMENSIONS, STEPS

SCOPES = ("brand", "region", "branch")
METRICS = ("overall", *DIMENSIONS, *(f"step_{s}" for s in STEPS))


class Target(db.Model):
    """"Empathy at least 85 in every branch of the North by 30 June": a scope, a metric
    (the overall score, a SERVQUAL dimension or a protocol step), a value and a due date."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint(in_values("scope", SCOPES), name="scope"),
        CheckConstraint(in_values("metric", METRICS), name="metric"),
        CheckConstraint("value >= 0 AND value <= 100", name="value"),
        CheckConstraint(
            "(scope = 'brand' AND region_id IS NULL AND branch_id IS NULL)"
            " OR (scope = 'region' AND region_id IS NOT NULL AND branch_id IS NULL)"
            " OR (scope = 'branch' AND branch_id IS NOT NULL AND region_id IS NULL)",
            name="scope_ids",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("branches.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(20))
    value: Mapped[float]
    due_on: Mapped[date]
    label: Mapped[str] = mapped_column(String(200), default="")
    # Count as met only when every branch in scope reaches the value on its own.
    every_branch: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    brand: Mapped[Brand] = relationship()
    region: Mapped[Region | None] = relationship()
    branch: Mapped[Branch | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def snapshot(self) -> dict:
        """The editable fields, as the audit log keeps them."""
        return {"scope": self.scope, "region_id": self.region_id, "branch_id": self.branch_id,
                "metric": self.metric, "value": self.value, "due_on": self.due_on.isoformat(),
                "label": self.label, "every_branch": self.every_branch}

    def __repr__(self) -> str:
        return f"<Target {self.id} {self.metric} {self.value}>"
