"""The client organisation: brands, their regions, franchisees and branches."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.extensions import db
from audit.textfold import fold
from audit.vocabulary import DIMENSIONS

MAX_SLA_HOURS = 24 * 60  # a service level longer than 60 days is a typing slip


class Brand(db.Model):
    """A client organisation; its SERVQUAL weights (100 points) drive the weighted index."""

    __tablename__ = "brands"
    __table_args__ = (
        CheckConstraint(
            "weight_tangibles >= 0 AND weight_reliability >= 0 AND weight_responsiveness >= 0"
            " AND weight_assurance >= 0 AND weight_empathy >= 0",
            name="weights_non_negative",
        ),
        CheckConstraint(
            "weight_tangibles + weight_reliability + weight_responsiveness"
            " + weight_assurance + weight_empathy = 100",
            name="weights_sum_100",
        ),
        CheckConstraint("critical_policy IN ('zero', 'flag')", name="critical_policy"),
        CheckConstraint("retention_months >= 0 AND retention_months <= 240", name="retention"),
        CheckConstraint(f"review_within_hours >= 1 AND review_within_hours <= {MAX_SLA_HOURS}",
                        name="review_within"),
        CheckConstraint("auto_publish_after_hours IS NULL OR (auto_publish_after_hours >= 1"
                        f" AND auto_publish_after_hours <= {MAX_SLA_HOURS})",
                        name="auto_publish_after"),
        CheckConstraint(
            f"resubmit_within_hours >= 1 AND resubmit_within_hours <= {MAX_SLA_HOURS}",
            name="resubmit_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    weight_tangibles: Mapped[int] = mapped_column(default=20)
    weight_reliability: Mapped[int] = mapped_column(default=20)
    weight_responsiveness: Mapped[int] = mapped_column(default=20)
    weight_assurance: Mapped[int] = mapped_column(default=20)
    weight_empathy: Mapped[int] = mapped_column(default=20)
    # The critical-fail policy new checklists start with (each version keeps its own).
    critical_policy: Mapped[str] = mapped_column(String(10), default="flag", server_default="flag")
    # Data protection (audit/privacy/): photos and free text of visits older than this many
    # months are purged (0 keeps them); staff names and call recordings need the brand's
    # explicit choice, because evaluating named staff needs their consent.
    retention_months: Mapped[int] = mapped_column(default=24, server_default="24")
    capture_staff_names: Mapped[bool] = mapped_column(default=False, server_default=false())
    allow_call_recordings: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Service levels (audit/review/deadlines.py): a submitted visit should be reviewed
    # within this many hours (then the brand's managers are told), may be published
    # automatically after that many (None: never, the default), and a returned visit
    # goes back to review when its shopper has not resubmitted it within that many.
    review_within_hours: Mapped[int] = mapped_column(default=48, server_default="48")
    auto_publish_after_hours: Mapped[int | None]
    resubmit_within_hours: Mapped[int] = mapped_column(default=24, server_default="24")

    regions: Mapped[list[Region]] = relationship(back_populates="brand", order_by="Region.name")

    @property
    def servqual_weights(self) -> dict[str, int]:
        """The dimension weights as the scoring core takes them."""
        return {d: getattr(self, f"weight_{d}") for d in DIMENSIONS}

    def __repr__(self) -> str:
        return f"<Brand {self.code}>"


class Region(db.Model):
    """A group of branches a regional manager answers for."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("brand_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    brand: Mapped[Brand] = relationship(back_populates="regions")
    branches: Mapped[list[Branch]] = relationship(back_populates="region", order_by="Branch.code")


class Franchisee(db.Model):
    """An owner company running some of a brand's branches."""

    __tablename__ = "franchisees"
    __table_args__ = (UniqueConstraint("brand_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    brand: Mapped[Brand] = relationship()
    branches: Mapped[list[Branch]] = relationship(back_populates="franchisee")


class Branch(db.Model):
    """A place that is audited: a bank branch, a shop, a showroom."""

    __tablename__ = "branches"
    __table_args__ = (
        UniqueConstraint("brand_id", "code"),
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="lat"),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="lon"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    franchisee_id: Mapped[int | None] = mapped_column(ForeignKey("franchisees.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    active: Mapped[bool] = mapped_column(default=True)
    # Code, name and address folded for the branch search (audit.textfold).
    search_text: Mapped[str] = mapped_column(String(800), default="", server_default="")

    brand: Mapped[Brand] = relationship()
    region: Mapped[Region] = relationship(back_populates="branches")
    franchisee: Mapped[Franchisee | None] = relationship(back_populates="branches")

    def __repr__(self) -> str:
        return f"<Branch {self.code}>"


@event.listens_for(Branch, "before_insert")
@event.listens_for(Branch, "before_update")
def _fold_branch_search_text(mapper, connection, branch: Branch) -> None:  # noqa: ARG001
    branch.search_text = fold(branch.code, branch.name, branch.address)[:800]
