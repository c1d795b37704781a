"""Corrective actions: a problem found by a visit, who owns the fix, and the proof it is fixed.

The severity tier sets the owner tier (DESIGN.md §1): a branch fixes a minor issue, the
region a major one, the brand a critical one. Status runs open -> in_progress -> done ->
verified, and back from done to in_progress when the fix is rejected.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.checklists import Question
from audit.models.orgs import Branch, Brand
from audit.models.visits import Visit
from audit.vocabulary import ACTION_STATUSES, ACTION_UNRESOLVED

SEVERITIES = ("minor", "major", "critical")
OWNER_TIER = {"minor": "branch", "major": "region", "critical": "brand"}
DUE_DAYS = {"minor": 30, "major": 14, "critical": 7}
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "done"}),
    "in_progress": frozenset({"done"}),
    "done": frozenset({"verified", "in_progress"}),
    "verified": frozenset(),
}


def default_due(severity: str, today: date) -> date:
    """The due date a new action gets when nobody chose one."""
    return today + timedelta(days=DUE_DAYS[severity])


class CorrectiveAction(db.Model):
    """One fix to make, raised from a failed answer (or general, for a branch)."""

    __tablename__ = "corrective_actions"
    __table_args__ = (
        CheckConstraint(in_values("severity", SEVERITIES), name="severity"),
        CheckConstraint(in_values("status", ACTION_STATUSES), name="status"),
        CheckConstraint(in_values("origin", ("auto", "manual")), name="origin"),
        # One action per failed answer: raising twice (or a rescore) never duplicates.
        UniqueConstraint("visit_id", "question_id"),
        Index("ix_corrective_actions_brand_status_due", "brand_id", "status", "due_on"),
        Index("ix_corrective_actions_branch_code", "branch_id", "question_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"),
                                                 index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    # The question's code, stable across checklist versions: a later visit on any version
    # verifies the fix.
    question_code: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    origin: Mapped[str] = mapped_column(String(10), default="manual")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    verified_by_visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"))

    brand: Mapped[Brand] = relationship()
    branch: Mapped[Branch] = relationship()
    visit: Mapped[Visit | None] = relationship(foreign_keys=[visit_id])
    verified_by_visit: Mapped[Visit | None] = relationship(foreign_keys=[verified_by_visit_id])
    question: Mapped[Question | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    comments: Mapped[list[ActionComment]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionComment.id")
    photos: Mapped[list[ActionPhoto]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionPhoto.id")

    @property
    def owner_tier(self) -> str:
        """Who answers for the fix: branch, region or brand."""
        return OWNER_TIER[self.severity]

    @property
    def owner_name(self) -> str:
        """The name of the branch, region or brand that owns the fix."""
        tier = self.owner_tier
        if tier == "branch":
            return self.branch.name
        if tier == "region":
            return self.branch.region.name
        return self.brand.name

    def is_overdue(self, today: date) -> bool:
        """Past its due date while the branch still has work to do (done waits on us)."""
        return self.status in ACTION_UNRESOLVED and self.due_on < today

    def can_move(self, target: str) -> bool:
        return target in TRANSITIONS[self.status]

    def __repr__(self) -> str:
        return f"<CorrectiveAction {self.id} {self.severity} {self.status}>"


class ActionComment(db.Model):
    """One message in an action's thread."""

    __tablename__ = "action_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_actions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[CorrectiveAction] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class ActionPhoto(db.Model):
    """A photo proving the fix; the file sits behind the same storage as visit photos."""

    __tablename__ = "action_photos"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("corrective_actions.id", ondelete="CASCADE"), index=True)
    caption: Mapped[str] = mapped_column(String(500), default="")
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    thumb_key: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(50))
    # NULL once the file is purged (`purged_at`), like a visit photo's.
    width: Mapped[int | None]
    height: Mapped[int | None]
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    captured_at: Mapped[datetime | None]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when the file was deleted under the retention policy.
    purged_at: Mapped[datetime | None]

    action: Mapped[CorrectiveAction] = relationship(back_populates="photos")
    uploaded_by: Mapped[User | None] = relationship()
