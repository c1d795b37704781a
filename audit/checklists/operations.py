"""Changes to checklists as a whole: create, settings, publish, new draft, delete, import.

Every change is checked against the document rules before anything is written (the
database constraints are the last line, never the message), is written to the audit log
and committed as one transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from audit.checklists import service
from audit.checklists.importer import import_checklist
from audit.checklists.rules import Problem, errors_only, validate_document
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section
from audit.models.orgs import Brand

SETTINGS = ("title", "description", "channel", "critical_policy")


class Refused(Exception):
    """The change breaks a rule; raised before anything is written. `problems` are on the edited
    record's fields (relative paths), `general` elsewhere (paths name the place)."""

    def __init__(self, problems: list[Problem], general: list[Problem] | None = None) -> None:
        super().__init__([p.key for p in problems + (general or [])])
        self.problems = problems
        self.general = general or []


class NotDraft(Exception):
    """Published versions are immutable; edit a new draft instead."""


class DraftExists(Exception):
    """A checklist has at most one draft at a time."""

    def __init__(self, draft: ChecklistVersion) -> None:
        super().__init__(draft.id)
        self.draft = draft


def require_draft(version: ChecklistVersion) -> None:
    if version.published_at is not None:
        raise NotDraft(version.id)


def _lock(checklist: Checklist) -> None:
    """Serialise drafts and publishing of one checklist (FOR UPDATE on PostgreSQL)."""
    db.session.execute(select(Checklist.id).where(Checklist.id == checklist.id).with_for_update())


def clean_text(value: dict[str, Any] | None) -> dict[str, str]:
    """A bilingual text as stored: trimmed, languages left empty dropped."""
    return {lang: text.strip() for lang, text in (value or {}).items()
            if isinstance(text, str) and text.strip()}


def _settings_problems(doc: dict[str, Any]) -> list[Problem]:
    return [p for p in errors_only(validate_document(doc)) if not p.path.startswith("sections")]


def create_checklist(brand: Brand, data: dict[str, Any], actor: User) -> ChecklistVersion:
    """A new checklist whose version 1 is an empty draft."""
    doc = {"code": (data.get("code") or "").strip(), "title": clean_text(data.get("title")),
           "description": clean_text(data.get("description")), "channel": data.get("channel"),
           "critical_policy": data.get("critical_policy") or brand.critical_policy,
           "sections": []}
    problems = _settings_problems(doc)
    taken = db.session.scalar(select(Checklist.id).where(
        Checklist.brand_id == brand.id, Checklist.code == doc["code"]))
    if taken is not None:
        problems.append(Problem("code", "code_taken", {"code": doc["code"]}))
    if problems:
        raise Refused(problems)
    checklist = Checklist(brand=brand, code=doc["code"], title=doc["title"])
    version = ChecklistVersion(checklist=checklist, number=1, channel=doc["channel"],
                               critical_policy=doc["critical_policy"],
                               description=doc["description"])
    db.session.add_all([checklist, version])
    try:
        db.session.flush()
    except IntegrityError:  # the same code created a moment ago by someone else
        db.session.rollback()
        raise Refused([Problem("code", "code_taken", {"code": doc["code"]})]) from None
    record(actor, "checklist", checklist.id, "create", new=doc)
    db.session.commit()
    return version


def update_settings(version: ChecklistVersion, data: dict[str, Any], actor: User) -> None:
    """Title, description, channel and critical-fail policy of a draft."""
    require_draft(version)
    new = {"title": clean_text(data.get("title")), "description": clean_text(
        data.get("description")), "channel": data.get("channel"),
        "critical_policy": data.get("critical_policy")}
    doc = {**service.version_document(version), **new, "sections": []}
    problems = _settings_problems(doc)
    if problems:
        raise Refused(problems)
    old = {"title": version.checklist.title, "description": version.description,
           "channel": version.channel, "critical_policy": version.critical_policy}
    version.checklist.title = new["title"]
    version.description = new["description"]
    version.channel = new["channel"]
    version.critical_policy = new["critical_policy"]
    if old != new:
        record(actor, "checklist_version", version.id, "edit_settings", old=old, new=new)
    db.session.commit()


def publish(version: ChecklistVersion, actor: User) -> None:
    """Freeze the draft; refused with every problem when it is invalid or empty."""
    _lock(version.checklist)
    require_draft(version)
    problems = errors_only(service.version_problems(version, publishing=True))
    if problems:
        raise Refused([], problems)
    version.published_at = utcnow()
    record(actor, "checklist_version", version.id, "publish",
           new={"code": version.checklist.code, "number": version.number})
    db.session.commit()


def _copy_question(question: Question, version: ChecklistVersion) -> Question:
    columns = [c.key for c in Question.__table__.columns
               if c.key not in ("id", "version_id", "section_id")]
    return Question(version=version, **{name: getattr(question, name) for name in columns})


def start_draft(checklist: Checklist, actor: User) -> ChecklistVersion:
    """A new draft copied from the latest version (number + 1); one draft at a time."""
    _lock(checklist)
    db.session.refresh(checklist, ["versions"])
    existing = service.draft_of(checklist)
    if existing is not None:
        raise DraftExists(existing)
    latest = service.latest_version(checklist)
    draft = ChecklistVersion(checklist=checklist, number=latest.number + 1,
                             channel=latest.channel, critical_policy=latest.critical_policy,
                             description=dict(latest.description or {}))
    db.session.add(draft)
    with db.session.no_autoflush:
        for section in latest.sections:
            copy = Section(position=section.position, code=section.code,
                           title=dict(section.title))
            draft.sections.append(copy)
            copy.questions = [_copy_question(q, draft) for q in section.questions]
    db.session.flush()
    record(actor, "checklist_version", draft.id, "new_draft",
           new={"code": checklist.code, "number": draft.number, "from": latest.number})
    db.session.commit()
    return draft


def delete_draft(version: ChecklistVersion, actor: User) -> Checklist | None:
    """Drop a draft nobody uses; a checklist left without versions goes too.
    Returns the checklist when it remains."""
    require_draft(version)
    if service.version_in_use(version):
        raise Refused([], [Problem("", "version_in_use")])
    checklist = version.checklist
    record(actor, "checklist_version", version.id, "delete",
           old=service.version_document(version))
    db.session.delete(version)
    db.session.flush()
    db.session.refresh(checklist, ["versions"])
    remains: Checklist | None = checklist
    if not checklist.versions:
        record(actor, "checklist", checklist.id, "delete", old={"code": checklist.code})
        db.session.delete(checklist)
        remains = None
    db.session.commit()
    return remains


def import_document(brand: Brand, doc: Any, actor: User) -> ChecklistVersion:
    """Add a whole document as the next draft of the checklist with its code (or a new
    checklist): every problem is reported first, and then it is written in one go."""
    problems = errors_only(validate_document(doc))
    if problems:
        raise Refused([], problems)
    checklist = db.session.scalars(select(Checklist).where(
        Checklist.brand_id == brand.id, Checklist.code == doc["code"])).first()
    if checklist is not None:
        _lock(checklist)
        draft = service.draft_of(checklist)
        if draft is not None:
            raise Refused([], [Problem("code", "draft_exists",
                                       {"code": checklist.code, "number": draft.number})])
    document = {**doc, "critical_policy": doc.get("critical_policy") or brand.critical_policy}
    try:
        version = import_checklist(brand, document, publish=False)
        record(actor, "checklist_version", version.id, "import",
               new={"code": document["code"], "number": version.number,
                    "questions": len(version.ordered_questions())})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return version
