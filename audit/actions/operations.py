"""Changing corrective actions: raise (by hand or for critical fails), move through the
status flow, edit, comment, add evidence photos, verify by a later visit. Every change is
written to the audit log."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from audit import access
from audit.actions import events
from audit.core.clock import utcnow
from audit.evidence.pipeline import ingest
from audit.extensions import db
from audit.models.actions import ActionComment, ActionPhoto, CorrectiveAction, default_due
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.scoring.stored import QuestionRow
from audit.storage import storage_for
from audit.storage.base import discard

ENTITY = "corrective_action"


class ActionRefused(Exception):
    """The change is not allowed; `key` says why (the view words it for the user)."""

    def __init__(self, key: str, existing: CorrectiveAction | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.existing = existing


def breakdown_row(visit: Visit, code: str) -> QuestionRow | None:
    """How a question counted in the visit's stored scores."""
    return visit.score_record.question(code)


def failed(row: QuestionRow | None) -> bool:
    """The answer earned less than its full points."""
    return row is not None and row.failed


def passed(row: QuestionRow | None) -> bool:
    """The answer earned its full points."""
    return row is not None and row.passed


def _snapshot(action: CorrectiveAction) -> dict[str, Any]:
    return {"branch": action.branch_id, "visit": action.visit_id,
            "question": action.question_code, "title": action.title,
            "severity": action.severity, "owner_tier": action.owner_tier,
            "due_on": action.due_on.isoformat(), "origin": action.origin,
            "assignee": action.assignee_id}


def _add(action: CorrectiveAction, actor: User | None) -> CorrectiveAction:
    db.session.add(action)
    db.session.flush()
    record(actor, ENTITY, action.id, "create", new=_snapshot(action))
    return action


def existing_for(visit: Visit, code: str) -> CorrectiveAction | None:
    """The action already raised from this answer, if any."""
    return db.session.scalar(select(CorrectiveAction).where(
        CorrectiveAction.visit_id == visit.id, CorrectiveAction.question_code == code))


def raise_action(*, branch: Branch, actor: User, severity: str, title: str = "",
                 description: str = "", due_on: date | None = None,
                 assignee: User | None = None, visit: Visit | None = None,
                 question_code: str | None = None) -> CorrectiveAction:
    """Raise an action by hand: from a failed answer of a visit, or a general one for a
    branch. One action per answer: raising it again refuses and points to the first."""
    question = None
    if visit is not None:
        branch = visit.branch
    if question_code:
        if visit is None:
            raise ActionRefused("unknown_question")
        question = next((q for q in visit.checklist_version.ordered_questions()
                         if q.code == question_code), None)
        if question is None:
            raise ActionRefused("unknown_question")
        if not failed(breakdown_row(visit, question_code)):
            raise ActionRefused("not_failed")
        existing = existing_for(visit, question_code)
        if existing is not None:
            raise ActionRefused("exists", existing)
    if not (title or "").strip() and question is None:
        raise ActionRefused("title_required")
    action = CorrectiveAction(
        brand_id=branch.brand_id, branch=branch, visit=visit, question=question,
        question_code=question_code or None, title=(title or "").strip()[:200],
        description=(description or "").strip(), severity=severity, status="open",
        origin="manual", assignee=assignee, created_by=actor,
        due_on=due_on or default_due(severity, date.today()),
    )
    _add(action, actor)
    events.announce_assigned(action, actor)
    db.session.commit()
    return action


def on_visit_published(visit: Visit, actor: User | None) -> None:
    """After a visit is published: raise an action per failed critical question and verify
    earlier actions on the questions it passed. Its own transaction, right after the
    approval commits (a conflicting approval is refused before anything is raised);
    idempotent, so running it again (a second approval, a rescore) changes nothing."""
    raise_for_critical_fails(visit, actor)
    verify_by_visit(visit, actor)
    events.announce_published(visit.id)
    db.session.commit()


def raise_for_critical_fails(visit: Visit, actor: User | None,
                             raised_at: datetime | None = None) -> list[CorrectiveAction]:
    """One `critical` action per critical question that earned less than full points
    (`raised_at`, default now, dates the action and its default due date)."""
    if not visit.is_published or not visit.critical_fail:
        return []
    stored = visit.score_record
    critical = {q.code: q for q in visit.checklist_version.ordered_questions() if q.critical}
    codes = [code for code in critical
             if code in stored.critical_failures or failed(stored.question(code))]
    raised = []
    for code in codes:
        if existing_for(visit, code) is not None:
            continue
        raised.append(_add(CorrectiveAction(
            brand_id=visit.branch.brand_id, branch=visit.branch, visit=visit,
            question=critical[code], question_code=code, title="", severity="critical",
            status="open", origin="auto", created_by=actor, created_at=raised_at or utcnow(),
            due_on=default_due("critical", (raised_at or utcnow()).date()),
        ), actor))
    return raised


def verify_by_visit(visit: Visit, actor: User | None,
                    at: datetime | None = None) -> list[CorrectiveAction]:
    """Verify the branch's earlier actions on every question this published visit passed.

    A quality manager verifies a fix by observing it, and an independent mystery shopper
    seeing the question pass on a later visit is exactly that observation. So not only
    `done` actions are verified: `open` and `in_progress` ones are too, because the problem
    is no longer seen and leaving them open would keep an already-fixed branch on the
    overdue list. The log keeps the status each one had and the verifying visit, so a
    manager can tell a fix the branch reported from one it never did. `at` (default now)
    dates the verification.
    """
    if not visit.is_published:
        return []
    codes = [row.code for row in visit.score_record.questions if row.passed]
    if not codes:
        return []
    candidates = db.session.scalars(select(CorrectiveAction).where(
        CorrectiveAction.branch_id == visit.branch_id,
        CorrectiveAction.question_code.in_(codes),
        CorrectiveAction.status != "verified",
        CorrectiveAction.visit_id != visit.id,
    )).all()
    moment = _moment(visit)
    verified = []
    for action in candidates:
        source = _moment(action.visit) if action.visit else as_utc(action.created_at)
        if source is None or moment is None or source >= moment:
            continue
        old = action.status
        action.status, action.verified_at = "verified", at or utcnow()
        action.verified_by_visit = visit
        record(actor, ENTITY, action.id, "status", field="status", old=old, new="verified",
               reason=f"visit {visit.id}")
        verified.append(action)
    return verified


def close_after_dispute(visit: Visit, code: str, actor: User,
                        reason: str) -> list[CorrectiveAction]:
    """Close the actions raised from an answer that an accepted dispute turned into a pass.

    The problem they were raised for was never there, so nothing is left to fix: they are
    verified by the visit itself (`verified_by_visit` is their own visit, which is how pages
    tell this apart from a later visit's verification), and the log keeps the status each
    one had and the manager's reason. An answer that still fails keeps its action open.
    """
    if not passed(breakdown_row(visit, code)):
        return []
    closed = []
    for action in db.session.scalars(select(CorrectiveAction).where(
            CorrectiveAction.visit_id == visit.id, CorrectiveAction.question_code == code,
            CorrectiveAction.status != "verified")):
        old = action.status
        action.status, action.verified_at, action.verified_by_visit = "verified", utcnow(), visit
        record(actor, ENTITY, action.id, "status", field="status", old=old, new="verified",
               reason=reason)
        closed.append(action)
    return closed


def as_utc(moment: datetime | None) -> datetime | None:
    """Stored times read back naive on SQLite are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _camera_time(moment: datetime | None, branch: Branch) -> datetime | None:
    """A camera's local time without an offset is read in the branch's timezone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(branch.timezone))


def _moment(visit: Visit) -> datetime | None:
    """When the visit took place (its report time when no visit time was recorded)."""
    return as_utc(visit.visited_at or visit.submitted_at or visit.approved_at)


def move(action: CorrectiveAction, target: str, actor: User, note: str = "") -> None:
    """Change the status if the flow and the user's role allow it; a rejected fix (done
    back to in progress) needs a note, kept as a comment and in the log."""
    if target not in access.action_targets(actor, action):
        raise ActionRefused("transition")
    note = (note or "").strip()
    rejecting = action.status == "done" and target == "in_progress"
    if rejecting and not note:
        raise ActionRefused("reason_required")
    old = action.status
    action.status = target
    if target == "done":
        action.done_at = utcnow()
    elif target == "verified":
        action.verified_at = utcnow()
    record(actor, ENTITY, action.id, "status", field="status", old=old, new=target, reason=note)
    if note:
        action.comments.append(ActionComment(author=actor, text=note[:4000]))
    db.session.commit()


def update(action: CorrectiveAction, actor: User, **fields: Any) -> None:
    """Change severity, due date, assignee, title or description (managers); each
    changed field is logged with its old and new value."""
    if not access.can_manage_actions(actor):
        raise ActionRefused("forbidden")
    changed = set()
    for name, value in fields.items():
        old = getattr(action, name)
        if old == value:
            continue
        changed.add(name)
        setattr(action, name, value)
        logged_old, logged_new = old, value
        if name == "assignee":
            logged_old = old.id if old else None
            logged_new = value.id if value else None
        elif name == "due_on":
            logged_old, logged_new = old.isoformat(), value.isoformat()
        record(actor, ENTITY, action.id, "edit", field=name, old=logged_old, new=logged_new)
    if "assignee" in changed:
        events.announce_assigned(action, actor)  # the new assignee, if someone else
    db.session.commit()


def add_comment(action: CorrectiveAction, text: str, actor: User) -> ActionComment:
    """Add a message to the action's thread."""
    if not access.can_work_on_action(actor, action):
        raise ActionRefused("forbidden")
    comment = ActionComment(action=action, author=actor, text=text.strip()[:4000])
    db.session.add(comment)
    db.session.flush()
    record(actor, ENTITY, action.id, "comment", new={"comment": comment.id})
    db.session.commit()
    return comment


def add_photo(action: CorrectiveAction, raw: bytes, caption: str, actor: User) -> ActionPhoto:
    """Process and store evidence of the fix through the visit-photo pipeline; a refused
    file (PhotoRejected) stores nothing."""
    if not access.can_work_on_action(actor, action):
        raise ActionRefused("forbidden")
    processed = ingest(raw, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    storage = storage_for(current_app)
    key = f"actions/{action.id}/{uuid.uuid4().hex}"
    photo = ActionPhoto(
        action=action, caption=(caption or "")[:500], storage_key=f"{key}.jpg",
        thumb_key=f"{key}-thumb.jpg", content_type="image/jpeg", width=processed.width,
        height=processed.height, size_bytes=len(processed.data), sha256=processed.sha256,
        captured_at=_camera_time(processed.captured_at, action.branch),
        uploaded_by_id=actor.id,
    )
    try:  # files first, then the row: a crash in between leaves only an orphan file
        storage.put(photo.storage_key, processed.data)
        storage.put(photo.thumb_key, processed.thumbnail)
        db.session.add(photo)
        db.session.flush()
        record(actor, ENTITY, action.id, "photo", new={"photo": photo.id,
                                                      "sha256": processed.sha256})
        db.session.commit()
    except BaseException:  # a worker timeout (SystemExit) too: no file without its row
        db.session.rollback()
        discard(storage, photo.storage_key, photo.thumb_key)
        raise
    return photo
