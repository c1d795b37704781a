"""Reading checklists: the index rows, drafts, and a version as its document (the export
format, which is also what the editor and the publish check validate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from audit import access
from audit.checklists.rules import FLAGS, NUMBERS, Problem, validate_document
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section

PAGE_SIZE = 25


def number(value: float | None) -> float | int | None:
    """Whole numbers as ints, so exports read like the bundled files (1, not 1.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _text(value: dict[str, Any] | None) -> dict[str, Any]:
    return {lang: text for lang, text in (value or {}).items()}


def question_document(question: Question) -> dict[str, Any]:
    """One question as a document item; attributes at their default are left out."""
    doc: dict[str, Any] = {"code": question.code, "kind": question.kind,
                           "text": _text(question.text)}
    if any((question.help or {}).values()):
        doc["help"] = _text(question.help)
    if question.points != 1:
        doc["points"] = number(question.points)
    for name in ("dimension", "step", "factor", "kpi"):
        if getattr(question, name) is not None:
            doc[name] = getattr(question, name)
    for name, default in FLAGS.items():
        if bool(getattr(question, name)) != default:
            doc[name] = bool(getattr(question, name))
    for name in NUMBERS:
        if getattr(question, name) is not None:
            doc[name] = number(getattr(question, name))
    if question.options:
        doc["options"] = [{"value": o.get("value"), "label": _text(o.get("label")),
                           "fraction": number(o.get("fraction"))} for o in question.options]
    if question.condition:
        doc["condition"] = {"question": question.condition.get("question"),
                            "values": list(question.condition.get("values") or [])}
    return doc


def section_document(section: Section) -> dict[str, Any]:
    return {"code": section.code, "title": _text(section.title),
            "questions": [question_document(q) for q in section.questions]}


def version_document(version: ChecklistVersion) -> dict[str, Any]:
    """The version in the format of the bundled YAML files (import reads it back)."""
    doc: dict[str, Any] = {"code": version.checklist.code, "title": _text(version.checklist.title)}
    if any((version.description or {}).values()):
        doc["description"] = _text(version.description)
    doc["channel"] = version.channel
    doc["critical_policy"] = version.critical_policy
    doc["sections"] = [section_document(s) for s in version.sections]
    return doc


def version_problems(version: ChecklistVersion, *, publishing: bool = False) -> list[Problem]:
    return validate_document(version_document(version), publishing=publishing)


def draft_of(checklist: Checklist) -> ChecklistVersion | None:
    """The checklist's draft; there is at most one."""
    return next((v for v in checklist.versions if v.published_at is None), None)


def latest_version(checklist: Checklist) -> ChecklistVersion | None:
    return checklist.versions[-1] if checklist.versions else None


@dataclass
class IndexPage:
    checklists: list[Checklist]
    question_counts: dict[int, int]
    campaigns: dict[int, list[Campaign]]
    page: int
    pages: int
    total: int


def index_page(user: User, search: str = "", channel: str = "", page: int = 1) -> IndexPage:
    """One page of the checklists in the user's scope with per-version counts."""
    rows = db.session.scalars(
        access.checklists_query(user).order_by(Checklist.code)
        .options(selectinload(Checklist.versions), selectinload(Checklist.brand))
    ).all()
    needle = search.strip().lower()
    if needle:  # a brand has tens of checklists: filter both languages in Python
        rows = [c for c in rows if needle in " ".join(
            [c.code, *(str(t) for t in (c.title or {}).values())]).lower()]
    if channel:
        rows = [c for c in rows if any(v.channel == channel for v in c.versions)]
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    checklists = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    version_ids = [v.id for c in checklists for v in c.versions]
    counts = dict(db.session.execute(
        select(Question.version_id, func.count()).where(Question.version_id.in_(version_ids))
        .group_by(Question.version_id)).all()) if version_ids else {}
    campaigns: dict[int, list[Campaign]] = {}
    if version_ids:
        for campaign in db.session.scalars(
                select(Campaign).where(Campaign.checklist_version_id.in_(version_ids))
                .order_by(Campaign.starts_on.desc())):
            campaigns.setdefault(campaign.checklist_version_id, []).append(campaign)
    return IndexPage(list(checklists), counts, campaigns, page, pages, total)


def version_in_use(version: ChecklistVersion) -> bool:
    """Whether a campaign or a visit points at the version (then it stays)."""
    from audit.models.visits import Visit

    used = select(Campaign.id).where(Campaign.checklist_version_id == version.id).limit(1)
    visited = select(Visit.id).where(Visit.checklist_version_id == version.id).limit(1)
    return (db.session.scalar(used) is not None) or (db.session.scalar(visited) is not None)
