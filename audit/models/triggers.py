"""Score triggers: a brand's rules for telling people when a scored visit falls short
("overall under 60", "any critical fail", "empathy under its target")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Brand, Region
from audit.vocabulary import DIMENSIONS, TRIGGER_CONDITIONS, TRIGGER_THRESHOLD_CONDITIONS


class ScoreTrigger(db.Model):
    """One rule: a condition on a visit's stored scores, whom it tells (the brand's quality
    managers, the branch's franchise owners), optionally only for one region's branches,
    and whether the visit's PDF goes with the message. Evaluated by the pure
    `audit.scoring.triggers.fired`; announced by `audit.triggers.fire`."""

    __tablename__ = "score_triggers"
    __table_args__ = (
        CheckConstraint(in_values("condition", TRIGGER_CONDITIONS), name="condition"),
        CheckConstraint(in_values("dimension", DIMENSIONS, nullable=True), name="dimension"),
        CheckConstraint(
            "threshold IS NULL OR (threshold >= 0 AND threshold <= 100)", name="threshold"
        ),
        CheckConstraint(
            "threshold IS NOT NULL OR NOT " + in_values("condition", TRIGGER_THRESHOLD_CONDITIONS),
            name="threshold_needed",
        ),
        CheckConstraint("tell_managers OR tell_owners", name="someone_told"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    condition: Mapped[str] = mapped_column(String(30))
    threshold: Mapped[float | None]
    # For the dimension conditions: one dimension, or None for any of the five.
    dimension: Mapped[str | None] = mapped_column(String(20))
    # Only visits of this region's branches; None: every branch of the brand.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    tell_managers: Mapped[bool] = mapped_column(default=True)
    tell_owners: Mapped[bool] = mapped_column(default=False)
    attach_pdf: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    brand: Mapped[Brand] = relationship()
    region: Mapped[Region | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def snapshot(self) -> dict:
        """The editable fields, as the audit log keeps them."""
        return {
            "condition": self.condition,
            "threshold": self.threshold,
            "dimension": self.dimension,
            "region_id": self.region_id,
            "tell_managers": self.tell_managers,
            "tell_owners": self.tell_owners,
            "attach_pdf": self.attach_pdf,
            "active": self.active,
        }

    def __repr__(self) -> str:
        return f"<ScoreTrigger {self.id} {self.condition}>"
