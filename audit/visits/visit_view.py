"""The typed, frozen view of a visit that `read_model.build` fills for one reader: what the
visit pages, the API, the visit PDF and the exports show. Pure: no database, no Flask."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from audit.models.checklists import Question
from audit.scoring.stored import StoredScores

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class BranchView:
    id: int
    code: str
    name: str
    address: str
    timezone: str
    brand: str


@dataclass(frozen=True)
class CampaignView:
    id: int
    name: Mapping[str, str]
    scenario: Mapping[str, str] | None
    check_in: bool


@dataclass(frozen=True)
class PersonView:
    """The shopper, for the roles that may know who made the visit."""

    id: int
    name: str
    email: str


@dataclass(frozen=True)
class SectionView:
    code: str
    title: Mapping[str, str]
    questions: tuple[Question, ...]  # the checklist's definitions, the same for every reader


@dataclass(frozen=True)
class AnswerView:
    """An answer with its question: text, kind, dimension and step beside the value."""

    code: str
    question: Question
    text: Mapping[str, str]
    kind: str
    dimension: str | None
    step: int | None
    value: Any
    na: bool
    comment: str


@dataclass(frozen=True)
class AnswerEdit:
    """A change of an answer after the shopper sent it, with its reason; `by` is None for a
    reader not told who changed it ("the quality team")."""

    code: str
    by: str | None
    at: datetime
    reason: str
    after_dispute: bool


@dataclass(frozen=True)
class PhotoView:
    id: int
    question: str | None  # its question's code; None for the whole visit
    caption: str
    captured_at: datetime | None
    uploaded_at: datetime
    purged_at: datetime | None
    capture_source: str | None
    flags: tuple[str, ...]  # empty for the roles that do not see review flags


@dataclass(frozen=True)
class CheckInView:
    status: str
    distance_m: float | None
    radius_m: int | None
    accuracy_m: float | None
    recorded_at: datetime


@dataclass(frozen=True)
class Moment:
    """One moment of the reviewer's timeline; `code` names the answer's or photo's question."""

    at: datetime
    kind: str
    code: str | None
    phone_time: bool = False


@dataclass(frozen=True)
class VisitView:
    """A visit as one person may see it. Fields the role may not see hold their empty value
    (None, empty); `shows(name)` says whether the role sees a field at all."""

    role: str
    seen: frozenset[str]
    id: int
    revision: int | None = None
    status: str | None = None
    channel: str | None = None
    branch: BranchView | None = None
    campaign: CampaignView | None = None
    checklist_version_id: int | None = None
    due_from: date | None = None
    due_until: date | None = None
    visited_at: datetime | None = None
    visited_on: date | None = None
    time_in: datetime | None = None
    time_out: datetime | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    purged_at: datetime | None = None
    auto_published: bool = False  # published by the brand's service level, not a reviewer
    resubmit_by: datetime | None = None  # a returned visit's deadline to send it again
    resubmit_expired_at: datetime | None = None  # came back to review unchanged, past it
    facts: tuple[tuple[str, str, Any], ...] = ()  # (name, kind, typed value) to read
    # The facts as typed, without staff facts a brand does not record (the form, the API).
    recorded_facts: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    staff_description: str = ""
    narrative: str = ""
    reviewer_comment: str = ""
    shopper: PersonView | None = None
    sections: tuple[SectionView, ...] = ()
    answers: Mapping[str, AnswerView] = field(default_factory=lambda: _EMPTY)
    edits: Mapping[str, tuple[AnswerEdit, ...]] = field(default_factory=lambda: _EMPTY)
    photos: tuple[PhotoView, ...] = ()
    scores: StoredScores | None = None  # None: not shown to this reader
    score_columns: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    flags: tuple[str, ...] = ()
    timeline: tuple[Moment, ...] = ()
    check_in: CheckInView | None = None
    check_in_asked: bool = False
    staff_hidden: frozenset[str] = frozenset()

    def shows(self, name: str) -> bool:
        return name in self.seen

    @property
    def score_record(self) -> StoredScores:
        return self.scores or StoredScores.EMPTY

    @property
    def breakdown(self) -> dict:
        return self.score_record.by_code

    @property
    def score_overall(self) -> float | None:
        return self.score_columns.get("overall")

    @property
    def servqual_index(self) -> float | None:
        return self.score_columns.get("servqual_index")

    @property
    def critical_fail(self) -> bool | None:
        return self.score_columns.get("critical_fail")

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def photos_by_question(self) -> dict[str | None, list[PhotoView]]:
        grouped: dict[str | None, list[PhotoView]] = {}
        for photo in self.photos:
            grouped.setdefault(photo.question, []).append(photo)
        return grouped
