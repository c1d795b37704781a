"""One person's data: a subject-access export (JSON and their photos in a zip) and
erasure (pseudonymise the account, blank the free text they wrote) that keeps the
published scores of the branches exactly as they were."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from audit import access
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.actions import ActionComment, ActionPhoto
from audit.models.auditlog import AuditLog, record
from audit.models.auth import ApiToken, User
from audit.models.disputes import Dispute
from audit.models.notifications import Notification, NotificationPreference
from audit.models.visits import Answer, Photo, Visit
from audit.privacy.retention import (
    REMOVED,
    blank_visit_text,
    forget_deleted_photo_hashes,
    text_question_ids,
)
from audit.storage import storage_for
from audit.storage.base import Storage
from audit.vocabulary import DIMENSIONS, NAMES_THE_SHOPPER, SHOPPER_EDITABLE, STEPS

SCORE_COLUMNS = ("scored_at", "scores", "score_overall", "critical_fail", "servqual_index",
                 *(f"score_{d}" for d in DIMENSIONS), *(f"score_step_{s}" for s in STEPS))


class LastAdmin(Exception):
    """Erasing this person would leave nobody able to manage users."""


def find_person(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


# --- subject access -----------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def person_data(user: User) -> dict[str, Any]:
    """Everything held about the person, as plain JSON. A shopper's visits carry what they
    recorded (facts, answers, comments, photos), not the branch's scores: those evaluate
    the branch, not the person."""
    account = _row(user, ("id", "email", "name", "role", "locale", "active", "created_at",
                          "erased_at"))
    account["brand"] = user.brand.name if user.brand else None
    account["franchisee"] = user.franchisee.name if user.franchisee else None
    visits = db.session.scalars(
        select(Visit).where(Visit.shopper_id == user.id).order_by(Visit.id)
        .options(selectinload(Visit.answers).selectinload(Answer.question),
                 selectinload(Visit.photos), selectinload(Visit.branch))).all()
    photos = db.session.scalars(select(Photo).where(or_(
        Photo.uploaded_by_id == user.id,
        Photo.visit_id.in_(select(Visit.id).where(Visit.shopper_id == user.id))))
        .order_by(Photo.id)).all()
    action_photos = db.session.scalars(select(ActionPhoto).where(
        ActionPhoto.uploaded_by_id == user.id).order_by(ActionPhoto.id)).all()
    return {
        "generated_at": utcnow().isoformat(),
        "account": account,
        "api_tokens": [_row(t, ("id", "created_at", "expires_at", "last_used_at",
                                "revoked_at"))
                       for t in db.session.scalars(select(ApiToken).where(
                           ApiToken.user_id == user.id).order_by(ApiToken.id))],
        "visits_as_shopper": [_visit(v) for v in visits],
        "photos": [{**_row(p, ("id", "visit_id", "caption", "captured_at", "uploaded_at",
                               "purged_at")),
                    "file": None if p.purged_at else f"photos/{p.id}.jpg"} for p in photos],
        "disputes_opened": [_row(d, ("id", "visit_id", "comment", "proposed_value",
                                     "proposed_na", "status", "opened_at"))
                            for d in db.session.scalars(select(Dispute).where(
                                Dispute.opened_by_id == user.id).order_by(Dispute.id))],
        "disputes_resolved": [_row(d, ("id", "visit_id", "status", "resolution_reason",
                                       "resolved_at"))
                              for d in db.session.scalars(select(Dispute).where(
                                  Dispute.resolved_by_id == user.id).order_by(Dispute.id))],
        "action_comments": [_row(c, ("id", "action_id", "text", "at"))
                            for c in db.session.scalars(select(ActionComment).where(
                                ActionComment.author_id == user.id).order_by(ActionComment.id))],
        "action_photos": [{**_row(p, ("id", "action_id", "caption", "uploaded_at",
                                      "purged_at")),
                           "file": None if p.purged_at else f"action-photos/{p.id}.jpg"}
                          for p in action_photos],
        "notifications": [_row(n, ("id", "kind", "context", "link", "delivery",
                                   "mail_status", "created_at", "sent_at", "read_at"))
                          for n in db.session.scalars(select(Notification).where(
                              Notification.user_id == user.id).order_by(Notification.id))],
        "notification_choices": (preference.choices if (preference := db.session.get(
            NotificationPreference, user.id)) else {}),
        "audit_log": [_row(e, ("id", "at", "entity", "entity_id", "action", "field",
                               "old_value", "new_value", "reason"))
                      for e in db.session.scalars(select(AuditLog).where(
                          AuditLog.actor_id == user.id).order_by(AuditLog.id))],
    }


def _visit(visit: Visit) -> dict[str, Any]:
    row = _row(visit, ("id", "campaign_id", "status", "channel", "due_from", "due_until",
                       "visited_at", "time_in", "time_out", "submitted_at", "approved_at",
                       "staff_description", "narrative", "facts", "purged_at"))
    row["branch"] = visit.branch.name
    row["answers"] = [{"question": a.question.code, "value": _plain(a.value), "na": a.na,
                       "comment": a.comment}
                      for a in sorted(visit.answers, key=lambda a: a.question.code)]
    return row


def export_person(user: User, actor: User | None, storage: Storage | None = None) -> bytes:
    """A zip: `person.json` and the files of their photos still held. Logged."""
    storage = storage or storage_for(current_app)
    data = person_data(user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.json", json.dumps(data, ensure_ascii=False, indent=2,
                                                   default=str))
        keys = {p.id: p.storage_key for p in db.session.scalars(
            select(Photo).where(Photo.id.in_([p["id"] for p in data["photos"]])))}
        for photo in data["photos"]:
            if photo["file"]:
                archive.writestr(photo["file"], storage.get(keys[photo["id"]]))
        action_keys = {p.id: p.storage_key for p in db.session.scalars(
            select(ActionPhoto).where(ActionPhoto.uploaded_by_id == user.id))}
        for photo in data["action_photos"]:
            if photo["file"]:
                archive.writestr(photo["file"], storage.get(action_keys[photo["id"]]))
    record(actor, "user", user.id, "export", new={
        "visits": len(data["visits_as_shopper"]), "photos": len(data["photos"]),
        "audit_entries": len(data["audit_log"])})
    db.session.commit()
    return out.getvalue()


# --- erasure -------------------------------------------------------------------------


@dataclass
class ErasureSummary:
    user_id: int
    pseudonym: str
    already_erased: bool = False
    tokens_revoked: int = 0
    visits_kept: int = 0  # submitted or published: attributed to the pseudonym
    visits_reopened: int = 0  # unfinished drafts given back to the campaign
    answers_blanked: int = 0
    photos_deleted: int = 0
    disputes_blanked: int = 0
    action_comments_blanked: int = 0
    messages_deleted: int = 0  # their own notifications (others' name them by pseudonym)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pseudonym(user: User) -> str:
    label = "Erased shopper" if user.role == "shopper" else "Erased user"
    return f"{label} #{user.id}"


def erase_person(user: User, actor: User | None,
                 storage: Storage | None = None) -> ErasureSummary:
    """Pseudonymise the account and blank what the person wrote; logged, repeatable.

    Kept: the visits they submitted or that were published, with every answer value and
    photo, so branch scores and their evidence stay (photos show the branch, and carry no
    metadata since upload); they are attributed to "Erased shopper #<id>". Removed: name,
    e-mail, password, tokens, all free text they wrote, and their unfinished drafts (the
    visit goes back to the campaign, unassigned). The audit log keeps its entries, now
    naming the pseudonym.
    """
    storage = storage or storage_for(current_app)
    summary = ErasureSummary(user.id, pseudonym(user))
    if user.erased_at is not None:
        summary.already_erased = True
        return summary
    if access.is_last_admin(user):
        raise LastAdmin
    now = utcnow()
    summary.tokens_revoked = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount
    files: list[str] = []
    visits = db.session.scalars(select(Visit).where(Visit.shopper_id == user.id)
                                .order_by(Visit.id)).all()
    # The log's hashes of photos they deleted go; their drafts' photos go with the rows.
    forget_deleted_photo_hashes([v.id for v in visits])
    for visit in visits:
        if visit.status in SHOPPER_EDITABLE:
            files += _reopen(visit, actor)
            summary.visits_reopened += 1
            continue
        summary.answers_blanked += blank_visit_text(visit.id, text_question_ids(visit.id),
                                                    reviewer_notes=False)
        summary.visits_kept += 1
    summary.photos_deleted = len(files) // 2
    disputes = db.session.scalars(select(Dispute.id).where(
        Dispute.opened_by_id == user.id, Dispute.comment != "")).all()
    if disputes:
        db.session.execute(update(Dispute).where(Dispute.id.in_(disputes)).values(
            comment="", revision=Dispute.revision + 1))
        db.session.execute(update(AuditLog).where(
            AuditLog.entity == "dispute", AuditLog.entity_id.in_(disputes),
            AuditLog.action == "open").values(reason=REMOVED))
    summary.disputes_blanked = len(disputes)
    summary.action_comments_blanked = db.session.execute(
        update(ActionComment).where(ActionComment.author_id == user.id,
                                    ActionComment.text != "").values(text="")).rowcount
    db.session.execute(update(ActionPhoto).where(ActionPhoto.uploaded_by_id == user.id)
                       .values(caption=""))
    summary.messages_deleted = _forget_messages(user, [v.id for v in visits], summary.pseudonym)
    db.session.expire_all()
    user.name, user.email = summary.pseudonym, f"erased-{user.id}@erased.invalid"
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the login is gone
    user.active, user.locale, user.erased_at = False, None, now
    record(actor, "user", user.id, "erase", new=summary.as_dict())
    db.session.commit()
    for key in files:  # after the commit: a failed erasure keeps the drafts' photos
        storage.delete(key)
    return summary


def _forget_messages(user: User, visit_ids: list[int], pseudonym: str) -> int:
    """Delete the person's own messages and choices; messages to managers about their
    visits name the pseudonym instead of them (the only personal value a message keeps)."""
    deleted = db.session.execute(
        Notification.__table__.delete().where(Notification.user_id == user.id)).rowcount
    db.session.execute(NotificationPreference.__table__.delete().where(
        NotificationPreference.user_id == user.id))
    kept = set(visit_ids)
    for message in db.session.scalars(select(Notification).where(
            Notification.kind.in_(NAMES_THE_SHOPPER), Notification.user_id != user.id)):
        context = message.context or {}
        if context.get("visit_id") in kept and context.get("shopper_name"):
            message.context = {**context, "shopper_name": pseudonym}
    db.session.flush()  # before the caller expires the session's objects
    return deleted


def _reopen(visit: Visit, actor: User | None) -> list[str]:
    """Give an unfinished visit back to its campaign without the erased shopper's draft;
    returns the photo files to delete."""
    files = [key for p in visit.photos for key in (p.storage_key, p.thumb_key) if key]
    record(actor, "visit", visit.id, "status", field="status", old=visit.status, new="open",
           reason="shopper erased")
    visit.answers.clear()
    visit.photos.clear()
    visit.status, visit.shopper = "open", None
    visit.facts, visit.narrative, visit.staff_description, visit.reviewer_comment = \
        {}, "", "", ""
    visit.visited_at = visit.time_in = visit.time_out = visit.submitted_at = None
    for column in SCORE_COLUMNS:
        setattr(visit, column, None)
    db.session.flush()
    return files
