"""Campaigns (waves of visits) over a set of branches with one checklist version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.checklists import ChecklistVersion
from audit.models.orgs import Branch, Brand
from audit.vocabulary import CHANNELS

campaign_branches = Table(
    "campaign_branches",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("branch_id", ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    """A wave: a brand, a checklist version, a period, branches and the scenario brief."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint("visits_per_branch >= 1", name="visits_per_branch"),
        CheckConstraint(in_values("channel", CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    checklist_version_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_versions.id"), index=True
    )
    name: Mapped[dict[str, Any]]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    visits_per_branch: Mapped[int] = mapped_column(default=1)
    channel: Mapped[str] = mapped_column(String(20))
    scenario: Mapped[dict[str, Any]] = mapped_column(default=dict)
    allow_claims: Mapped[bool] = mapped_column(default=False)
    # Presence check-in on arrival (off by default): the phone's position is compared with
    # the branch's coordinates, and a visit beyond the radius is flagged for the reviewer.
    check_in: Mapped[bool] = mapped_column(default=False)
    check_in_radius_m: Mapped[int] = mapped_column(default=300)
    check_in_since: Mapped[datetime | None]  # visits sent before it were not asked
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    brand: Mapped[Brand] = relationship()
    checklist_version: Mapped[ChecklistVersion] = relationship()
    branches: Mapped[list[Branch]] = relationship(
        secondary=campaign_branches, order_by="Branch.code"
    )
