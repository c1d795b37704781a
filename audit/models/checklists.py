"""Versioned checklists: a published version is frozen so visits keep what they were filled on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from audit.core.queries import in_values
from audit.extensions import db
from audit.models.orgs import Brand
from audit.vocabulary import CHANNELS, CRITICAL_POLICIES, DIMENSIONS, FACTORS, KINDS, KPIS


class Checklist(db.Model):
    """A brand's checklist template; its content lives in numbered versions."""

    __tablename__ = "checklists"
    __table_args__ = (UniqueConstraint("brand_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    title: Mapped[dict[str, Any]]

    brand: Mapped[Brand] = relationship()
    versions: Mapped[list[ChecklistVersion]] = relationship(
        back_populates="checklist", order_by="ChecklistVersion.number"
    )

    @property
    def latest_published(self) -> ChecklistVersion | None:
        published = [v for v in self.versions if v.published_at is not None]
        return published[-1] if published else None


class ChecklistVersion(db.Model):
    """One version of a checklist: a draft until published, then immutable."""

    __tablename__ = "checklist_versions"
    __table_args__ = (
        UniqueConstraint("checklist_id", "number"),
        CheckConstraint(in_values("channel", CHANNELS), name="channel"),
        CheckConstraint(in_values("critical_policy", CRITICAL_POLICIES), name="critical_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("checklists.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    channel: Mapped[str] = mapped_column(String(20))
    critical_policy: Mapped[str] = mapped_column(String(10), default="flag")
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    published_at: Mapped[datetime | None]

    checklist: Mapped[Checklist] = relationship(back_populates="versions")
    sections: Mapped[list[Section]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )
    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def ordered_questions(self) -> list[Question]:
        """Questions in the order the shopper sees them."""
        return [q for s in self.sections for q in s.questions]


class Section(db.Model):
    """A titled group of questions, shown as one step of the form."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[dict[str, Any]]

    version: Mapped[ChecklistVersion] = relationship(back_populates="sections")
    # Sections are read with their questions (forms, scoring): one SELECT ... IN for all
    # the version's sections instead of one per section.
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan",
        lazy="selectin",
    )


class Question(db.Model):
    """One checklist item with every attribute the scoring rules (DESIGN.md §4) read."""

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        CheckConstraint(in_values("kind", KINDS), name="kind"),
        CheckConstraint(in_values("dimension", DIMENSIONS, nullable=True), name="dimension"),
        CheckConstraint("step IS NULL OR (step >= 1 AND step <= 5)", name="step"),
        CheckConstraint(in_values("factor", FACTORS, True), name="factor"),
        CheckConstraint(in_values("kpi", KPIS, True), name="kpi"),
        CheckConstraint("points >= 0", name="points"),
        CheckConstraint(
            "kind != 'scale' OR (max_value IS NOT NULL AND max_value > COALESCE(min_value, 1))",
            name="scale_bounds",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_versions.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[dict[str, Any]]
    help: Mapped[dict[str, Any]] = mapped_column(default=dict)
    points: Mapped[float] = mapped_column(default=1.0)
    dimension: Mapped[str | None] = mapped_column(String(20))
    step: Mapped[int | None]
    factor: Mapped[str | None] = mapped_column(String(20))
    critical: Mapped[bool] = mapped_column(default=False)
    allow_na: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=True)
    photo_required: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    pass_min: Mapped[float | None]
    pass_max: Mapped[float | None]
    no_passes: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[Any]] = mapped_column(default=list)
    condition: Mapped[dict[str, Any] | None]
    kpi: Mapped[str | None] = mapped_column(String(20))

    version: Mapped[ChecklistVersion] = relationship()
    section: Mapped[Section] = relationship(back_populates="questions")


class PublishedVersionError(Exception):
    """Raised when something tries to change a published checklist version."""


@event.listens_for(Session, "before_flush")
def _freeze_published_versions(session: Session, flush_context: Any, instances: Any) -> None:
    """Refuse any change to the content of a published version (visits depend on it)."""
    for obj in list(session.dirty) + list(session.deleted):
        version = None
        if isinstance(obj, Question | Section):
            version = obj.version
        elif isinstance(obj, ChecklistVersion):
            state = db.inspect(obj)
            history = state.attrs.published_at.history
            was_published = bool(history.deleted and history.deleted[0]) or (
                obj.published_at is not None and not history.added
            )
            if was_published and (session.is_modified(obj) or obj in session.deleted):
                raise PublishedVersionError(f"checklist version {obj.id} is published")
            continue
        if (
            version is not None
            and version.published_at is not None
            and (obj in session.deleted or session.is_modified(obj))
        ):
            raise PublishedVersionError(f"checklist version {version.id} is published")
    for obj in session.new:
        if isinstance(obj, Question | Section):
            version = obj.version
            if version is not None and version.id is not None and version.published_at:
                raise PublishedVersionError(f"checklist version {version.id} is published")
