"""Visits (assignments), the shopper's answers, photo metadata and stored scores."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from audit.core.clock import local_clock, local_day, utcnow
from audit.core.queries import in_values
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.checklists import ChecklistVersion, Question
from audit.models.orgs import Branch
from audit.scoring.stored import StoredScores
from audit.vocabulary import (
    ASSIGNED,
    CHANNELS,
    CHECK_IN_STATUSES,
    DIMENSIONS,
    PUBLISHED,
    STEPS,
    VISIT_STATUSES,
)

COMPARISON_INDEX_COLUMNS = (
    "campaign_id", "status", "branch_id", "revision", "scored_at", "score_overall",
    *(f"score_{d}" for d in DIMENSIONS), *(f"score_step_{s}" for s in STEPS),
)


class Visit(db.Model):
    """One assignment: a shopper, a branch, a due window, the answers and the stored scores.

    The per-dimension and per-step scores are columns (not only JSON) so that branch
    comparisons aggregate them in SQL.
    """

    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint(in_values("status", VISIT_STATUSES), name="status"),
        CheckConstraint(in_values("channel", CHANNELS), name="channel"),
        CheckConstraint("due_until >= due_from", name="due_window"),
        CheckConstraint("status = 'open' OR shopper_id IS NOT NULL", name="assigned_shopper"),
        Index("ix_visits_campaign_branch_status", "campaign_id", "branch_id", "status"),
        # Covers the branch comparison's GROUP BY (audit/comparison/queries.py).
        Index("ix_visits_comparison", *COMPARISON_INDEX_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    shopper_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    checklist_version_id: Mapped[int] = mapped_column(ForeignKey("checklist_versions.id"))
    status: Mapped[str] = mapped_column(String(20), default=ASSIGNED)
    channel: Mapped[str] = mapped_column(String(20))
    due_from: Mapped[date]
    due_until: Mapped[date]
    visited_at: Mapped[datetime | None]
    time_in: Mapped[datetime | None]
    time_out: Mapped[datetime | None]
    staff_description: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reviewer_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)
    # Service levels: when a returned visit must be sent again by, set when a reviewer
    # returns it; when it went back to review because it was not (shown to the reviewer);
    # and whether it was published by the service level rather than a reviewer.
    resubmit_by: Mapped[datetime | None]
    resubmit_expired_at: Mapped[datetime | None]
    auto_published: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when the retention purge removed the visit's photos and free text (scores stay).
    purged_at: Mapped[datetime | None]

    # Stored scores (DESIGN.md §4): written at submit, recomputed on every change.
    scored_at: Mapped[datetime | None]
    scores: Mapped[dict[str, Any] | None]
    score_overall: Mapped[float | None]
    critical_fail: Mapped[bool | None]
    servqual_index: Mapped[float | None]
    score_tangibles: Mapped[float | None]
    score_reliability: Mapped[float | None]
    score_responsiveness: Mapped[float | None]
    score_assurance: Mapped[float | None]
    score_empathy: Mapped[float | None]
    score_step_1: Mapped[float | None]
    score_step_2: Mapped[float | None]
    score_step_3: Mapped[float | None]
    score_step_4: Mapped[float | None]
    score_step_5: Mapped[float | None]

    campaign: Mapped[Campaign] = relationship()
    branch: Mapped[Branch] = relationship()
    shopper: Mapped[User | None] = relationship()
    checklist_version: Mapped[ChecklistVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Photo.id"
    )
    check_in: Mapped[CheckIn | None] = relationship(
        back_populates="visit", cascade="all, delete-orphan", uselist=False
    )

    __mapper_args__ = {"version_id_col": revision}

    @property
    def score_record(self) -> StoredScores:
        """The stored scores, typed (`StoredScores.EMPTY` before the visit is scored)."""
        return StoredScores.from_json(self.scores)

    @hybrid_property
    def is_published(self) -> bool:
        """Published: what owners, comparisons, targets and reports count (also in SQL)."""
        return self.status == PUBLISHED

    @property
    def zone(self) -> str:
        """The branch's clock, in which the shopper typed the visit's date and times."""
        return self.branch.timezone if self.branch else "Asia/Ho_Chi_Minh"

    @property
    def visited_on(self) -> date | None:
        """The day of the visit on the branch's clock."""
        return local_day(self.visited_at, self.zone)

    def local_time(self, name: str) -> str:
        """"HH:MM" of `visited_at`, `time_in` or `time_out` on the branch's clock."""
        return local_clock(getattr(self, name), self.zone)

    def __repr__(self) -> str:
        return f"<Visit {self.id} {self.status}>"


class Answer(db.Model):
    """The shopper's answer to one question of the visit's checklist version."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("visit_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    value: Mapped[Any | None] = mapped_column(db.JSON)
    na: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # When the shopper first gave this answer and last changed it: on the server's clock
    # (when the change arrived) and on the phone's (when it was made, maybe offline hours
    # before it arrived). "Completed too fast" and the review's timeline read these.
    first_answered_at: Mapped[datetime | None]
    last_answered_at: Mapped[datetime | None]
    device_first_at: Mapped[datetime | None]
    device_last_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


# A purged photo's fields that describe the picture (retention purge, migration 0012).
PURGED_PHOTO_FIELDS = ("sha256", "phash", "width", "height", "size_bytes", "captured_at",
                       "source_format")


class Photo(db.Model):
    """Evidence photo metadata; the file itself sits behind the storage interface."""

    __tablename__ = "photos"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size"),
        # A phone's outbox names each photo once: a retried upload finds the first one.
        UniqueConstraint("visit_id", "client_id", name="uq_photos_visit_client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id"))
    caption: Mapped[str] = mapped_column(String(500), default="")
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    thumb_key: Mapped[str | None] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(50))
    source_format: Mapped[str | None] = mapped_column(String(10))
    # What describes the picture itself (its hashes, size, camera time) is NULL once the file
    # is purged (`purged_at`): a kept hash would still tell which picture it was.
    width: Mapped[int | None]
    height: Mapped[int | None]
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    phash: Mapped[str | None] = mapped_column(String(32), index=True)
    captured_at: Mapped[datetime | None]
    # Reviewer flags found at upload: "reused" (same file elsewhere), "similar" (near-identical
    # picture in another visit), "outside_window" (capture time outside the visit window).
    flags: Mapped[list[Any]] = mapped_column(default=list)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    # Where `captured_at` came from: "file" (the image's own EXIF) or "browser" (read by the
    # phone from the original before it downscaled the picture); None without a time.
    capture_source: Mapped[str | None] = mapped_column(String(10))
    # Set when the file was deleted under the retention policy; the row says it existed
    # (and which question it showed), nothing more.
    purged_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="photos")
    question: Mapped[Question | None] = relationship()


class CheckIn(db.Model):
    """Where the shopper's phone said it was on arrival, for campaigns that ask for it.

    One per visit (checking in again replaces it). `status` is "inside" or "outside" the
    campaign's radius, or why there is no distance: "denied" (no permission), "unavailable"
    (no position), "no_branch_location" (the branch has no coordinates). Reviewers see the
    distance and the flag; owners never see any of it.
    """

    __tablename__ = "check_ins"
    __table_args__ = (CheckConstraint(in_values("status", CHECK_IN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    distance_m: Mapped[float | None]
    radius_m: Mapped[int | None]
    device_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    visit: Mapped[Visit] = relationship(back_populates="check_in")
