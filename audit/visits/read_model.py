"""The one read model of a visit: load it for a person through the access rules with one
eager-loading recipe, and build the typed, frozen view of what that person may see.

The shopper's visit page, the review screen, the owner's visit page, the API, the visit PDF
and the exports all read a visit through here, so they show the same things by
construction (the view's dataclasses: `audit/visits/visit_view.py`). What each role sees
is the table below, applied in one place (`_build`): a field not in the role's set is never
computed and reads as its empty value. Staff details follow the brand's setting
(`audit/visits/staff.py`) whatever the role.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from audit import access
from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from audit.models.checklists import ChecklistVersion, Section
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.visits import flags as review
from audit.visits import staff
from audit.visits.visit_view import (
    AnswerEdit,
    AnswerView,
    BranchView,
    CampaignView,
    CheckInView,
    Moment,
    PersonView,
    PhotoView,
    SectionView,
    VisitView,
)
from audit.vocabulary import DIMENSIONS, STEPS

# What each role sees of a visit (DESIGN.md §2): an owner never the shopper nor anything that
# identifies them (no check-in position, no names of who changed an answer); a shopper their
# own visit without reviewer names; managers and admins everything, flags included.
FACTS = frozenset(
    {
        "id",
        "revision",
        "status",
        "channel",
        "branch",
        "campaign",
        "checklist_version_id",
        "due_from",
        "due_until",
        "visited_at",
        "visited_on",
        "time_in",
        "time_out",
        "submitted_at",
        "approved_at",
        "purged_at",
        "auto_published",
        "resubmit_by",
        "resubmit_expired_at",
    }
)
CONTENT = frozenset(
    {
        "facts",
        "recorded_facts",
        "staff_description",
        "narrative",
        "reviewer_comment",
        "sections",
        "answers",
        "edits",
        "photos",
        "scores",
    }
)
REVIEWING = frozenset({"shopper", "editor_names", "flags", "timeline", "check_in", "photo_flags"})
ROLE_FIELDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "shopper": FACTS | CONTENT | {"check_in"},
        "quality_manager": FACTS | CONTENT | REVIEWING,
        "franchise_owner": FACTS | CONTENT,
        "admin": FACTS | CONTENT | REVIEWING,
    }
)
SHOPPER_IDENTITY = frozenset({"shopper", "editor_names", "check_in"})
SUMMARY = FACTS | {"shopper", "scores"}  # a row of a list (API list, export's visit sheet)


# Loading ---------------------------------------------------------------------------------

_WITH_CONTENT = {"sections", "answers", "edits", "photos", "flags", "timeline"}
_STAFF_BOUND = {"sections", "answers", "edits"}  # fields that need the staff questions


def options(seen: Iterable[str] = FACTS | CONTENT | REVIEWING) -> list:
    """The one eager-loading recipe: the visit's single records joined, its checklist,
    answers and photos each in one SELECT ... IN (answers' and photos' questions come from
    the loaded checklist), only when the fields asked need them."""
    recipe = [
        joinedload(Visit.branch).joinedload(Branch.brand),
        joinedload(Visit.campaign),
        joinedload(Visit.shopper),
        joinedload(Visit.check_in),
    ]
    if _WITH_CONTENT & set(seen):
        recipe += [
            joinedload(Visit.checklist_version)
            .selectinload(ChecklistVersion.sections)
            .selectinload(Section.questions),
            selectinload(Visit.answers),
            selectinload(Visit.photos),
        ]
    return recipe


def load(user: User, visit_id: int) -> Visit:
    """The visit if `user` may read it, with everything its view reads; else OutOfScope."""
    return access.get_in_scope(access.visits_query(user).options(*options()), Visit, visit_id)


def visit_view(user: User, visit_id: int) -> VisitView:
    """Load and build in one call: what most readers want."""
    return build(user, load(user, visit_id))


def build(user: User, visit: Visit, only: frozenset[str] | None = None) -> VisitView:
    """What `user` may see of `visit` (limited to `only` when given)."""
    return build_many(user, [visit], only)[0]


def views_query(user: User, query: Select, only: frozenset[str] | None = None) -> list[VisitView]:
    """The views of a scoped query's visits, loaded with the recipe: a fixed number of
    queries however many visits, answers and photos."""
    seen = _seen(user, only)
    visits = list(db.session.scalars(query.options(*options(seen))).unique())
    return build_many(user, visits, only)


def build_many(
    user: User, visits: list[Visit], only: frozenset[str] | None = None
) -> list[VisitView]:
    seen = _seen(user, only)
    edits = _edits([v.id for v in visits], "editor_names" in seen) if "edits" in seen else {}
    return [_build(user, visit, seen, edits.get(visit.id, {})) for visit in visits]


def sees(user: User, name: str) -> bool:
    """Whether `user`'s role sees the field `name` of a visit (a column of a list)."""
    return name in ROLE_FIELDS.get(user.role, ())


def _seen(user: User, only: frozenset[str] | None) -> frozenset[str]:
    seen = ROLE_FIELDS.get(user.role, frozenset({"id"}))
    return seen & only if only is not None else seen


# Building ---------------------------------------------------------------------------------


def _build(user: User, visit: Visit, seen: frozenset[str], edits: dict) -> VisitView:
    """The role table applied: each field the role sees, built from the loaded visit."""
    hidden = staff.hidden_staff_codes(visit) if seen & _STAFF_BOUND else frozenset()
    values: dict[str, Any] = {}
    for name in (f.name for f in fields(VisitView)):
        if name in seen and name in _FIELD:
            values[name] = _FIELD[name](visit, hidden)
    if "scores" in seen and access.can_see_scores(user, visit):
        values["scores"] = visit.score_record
        values["score_columns"] = MappingProxyType(_score_columns(visit))
    if "edits" in seen:
        values["edits"] = MappingProxyType(
            {code: tuple(items) for code, items in edits.items() if code not in hidden}
        )
    if "photos" in seen:
        values["photos"] = tuple(_photo(p, "photo_flags" in seen) for p in visit.photos)
    if "check_in" in seen:
        values["check_in_asked"] = review.asked_to_check_in(visit)
    values["staff_hidden"] = frozenset(hidden)
    return VisitView(role=user.role, seen=seen, id=visit.id, **values)


def _score_columns(visit: Visit) -> dict[str, Any]:
    columns = {
        "overall": visit.score_overall,
        "servqual_index": visit.servqual_index,
        "critical_fail": visit.critical_fail,
    }
    columns.update({d: getattr(visit, f"score_{d}") for d in DIMENSIONS})
    columns.update({f"step_{s}": getattr(visit, f"score_step_{s}") for s in STEPS})
    return columns


def _answer(answer: Any) -> AnswerView:
    q = answer.question
    return AnswerView(
        q.code,
        q,
        q.text,
        q.kind,
        q.dimension,
        q.step,
        answer.value,
        answer.na,
        answer.comment or "",
    )


def _answers(visit: Visit, hidden: set[str]) -> Mapping[str, AnswerView]:
    """Every answer; a staff question the brand does not record keeps only its N/A (the
    pages say "not shown"), never its value or comment."""
    views = {}
    for answer in visit.answers:
        view = _answer(answer)
        if view.code in hidden:
            view = AnswerView(
                view.code,
                view.question,
                view.text,
                view.kind,
                view.dimension,
                view.step,
                None,
                view.na,
                "",
            )
        views[view.code] = view
    return MappingProxyType(views)


def _photo(photo: Any, with_flags: bool) -> PhotoView:
    return PhotoView(
        photo.id,
        photo.question.code if photo.question else None,
        photo.caption or "",
        photo.captured_at,
        photo.uploaded_at,
        photo.purged_at,
        photo.capture_source,
        tuple(photo.flags or ()) if with_flags else (),
    )


def _check_in(visit: Visit, _hidden: Any) -> CheckInView | None:
    c = visit.check_in
    return (
        None
        if c is None
        else CheckInView(c.status, c.distance_m, c.radius_m, c.accuracy_m, c.recorded_at)
    )


def _timeline(visit: Visit, _hidden: Any) -> tuple[Moment, ...]:
    moments = []
    for at, kind, item in review.timeline(visit):
        question = getattr(item, "question", None)
        moments.append(
            Moment(
                at,
                kind,
                question.code if question is not None else None,
                getattr(item, "capture_source", None) == "browser",
            )
        )
    return tuple(moments)


def _shopper(visit: Visit, _hidden: Any) -> PersonView | None:
    s = visit.shopper
    return None if s is None else PersonView(s.id, s.name, s.email)


def _branch(visit: Visit, _hidden: Any) -> BranchView:
    b = visit.branch
    return BranchView(b.id, b.code, b.name, b.address, b.timezone, b.brand.name)


def _campaign(visit: Visit, _hidden: Any) -> CampaignView:
    c = visit.campaign
    return CampaignView(c.id, c.name, c.scenario, bool(c.check_in))


def _sections(visit: Visit, _hidden: Any) -> tuple[SectionView, ...]:
    return tuple(
        SectionView(s.code, s.title, tuple(s.questions)) for s in visit.checklist_version.sections
    )


def _column(name: str):
    return lambda visit, _hidden: getattr(visit, name)


_FIELD = {
    **{
        name: _column(name)
        for name in (
            "revision",
            "status",
            "channel",
            "checklist_version_id",
            "due_from",
            "due_until",
            "visited_at",
            "visited_on",
            "time_in",
            "time_out",
            "submitted_at",
            "approved_at",
            "purged_at",
            "auto_published",
            "resubmit_by",
            "resubmit_expired_at",
            "narrative",
            "reviewer_comment",
        )
    },
    "branch": _branch,
    "campaign": _campaign,
    "shopper": _shopper,
    "facts": lambda visit, _hidden: tuple(staff.visit_facts(visit)),
    "recorded_facts": lambda visit, _hidden: MappingProxyType(
        staff.shown_facts(visit, dict(visit.facts or {}))
    ),
    "staff_description": lambda visit, _hidden: (
        visit.staff_description if staff.captures_staff(visit) else ""
    ),
    "sections": _sections,
    "answers": _answers,
    "flags": lambda visit, _hidden: tuple(review.review_flags(visit)),
    "timeline": _timeline,
    "check_in": _check_in,
}


# The log entries that change an answer after the shopper sent it.
ANSWER_CHANGES = ("edit_answer", "dispute_accepted")


def _edits(visit_ids: list[int], named: bool) -> dict[int, dict[str, list[AnswerEdit]]]:
    """Each visit's answer changes, per question, oldest first, in one query. The reason a
    reviewer gave is printed under the answer (defect 16). Names are of staff (reviewers,
    managers), never the shopper, and only when `named`."""
    if not visit_ids:
        return {}
    rows = db.session.scalars(
        select(AuditLog)
        .where(
            AuditLog.entity == "visit",
            AuditLog.entity_id.in_(visit_ids),
            AuditLog.action.in_(ANSWER_CHANGES),
        )
        .options(joinedload(AuditLog.actor))
        .order_by(AuditLog.at, AuditLog.id)
    )
    edits: dict[int, dict[str, list[AnswerEdit]]] = {}
    for row in rows:
        by = (row.actor.name if row.actor else "—") if named else None
        edits.setdefault(row.entity_id, {}).setdefault(row.field or "", []).append(
            AnswerEdit(
                row.field or "", by, row.at, row.reason or "", row.action == "dispute_accepted"
            )
        )
    return edits


def page_context(view: VisitView) -> dict[str, Any]:
    """The names the visit templates read (pages and the visit PDF), all from the view."""
    return {
        "visit": view,
        "answers": view.answers,
        "breakdown": view.breakdown,
        "photos": view.photos_by_question,
        "facts": view.facts,
        "edits": view.edits,
        "staff_hidden": view.staff_hidden,
    }
