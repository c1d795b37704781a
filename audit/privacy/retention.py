"""The retention purge: photos and free text of visits older than their brand's retention
are removed; scores, scored answer values and aggregates stay exactly as they were.

Safe to run from cron on every app process at once: each visit is claimed by one atomic
UPDATE (`purged_at IS NULL`), so two runs never purge the same visit twice, and a run
that stops half-way leaves nothing claimed (its transaction rolls back) for the next run
to finish. Files go through the storage protocol, never local paths.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.actions import ActionComment, ActionPhoto, CorrectiveAction
from audit.models.auditlog import AuditLog, record
from audit.models.checklists import Question
from audit.models.disputes import Dispute
from audit.models.orgs import Branch, Brand
from audit.models.reports import Report
from audit.models.visits import PURGED_PHOTO_FIELDS, Answer, Photo, Visit
from audit.privacy.rules import blankable_text_codes, retention_cutoff, without_staff_facts
from audit.storage import storage_for
from audit.storage.base import Storage
from audit.vocabulary import ACTION_CLOSED, WORKED

REMOVED = "removed under the retention policy"  # what the audit log keeps instead of text
# A purged photo keeps its row (the answer it illustrated, its flags, when it was sent) but
# nothing that describes the picture: a hash or a size and camera time could still tell
# which picture it was.
PURGED_PHOTO = dict.fromkeys(PURGED_PHOTO_FIELDS)
PURGED_ACTION_PHOTO = dict.fromkeys(("sha256", "width", "height", "size_bytes",
                                     "captured_at"))


@dataclass
class PurgeSummary:
    """What one brand's purge removed (or, in a dry run, would remove)."""

    brand_id: int
    brand: str
    retention_months: int
    cutoff: str
    visits: int = 0
    photos: int = 0
    answers: int = 0  # answers whose comment or free-text value was blanked
    disputes: int = 0
    action_comments: int = 0
    action_photos: int = 0
    reports: int = 0

    @property
    def changed(self) -> bool:
        return any((self.visits, self.photos, self.answers, self.disputes,
                    self.action_comments, self.action_photos, self.reports))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def purge(now: datetime | None = None, dry_run: bool = False,
          storage: Storage | None = None) -> list[PurgeSummary]:
    """Purge every brand with a retention; one summary per brand, logged when anything
    was removed (so a cron run that finds nothing writes nothing)."""
    now = now or utcnow()
    storage = storage or storage_for(current_app)
    summaries = []
    for brand in db.session.scalars(select(Brand).order_by(Brand.id)).all():
        cutoff = retention_cutoff(now, brand.retention_months)
        if cutoff is None:
            continue
        summary = PurgeSummary(brand.id, brand.name, brand.retention_months,
                               cutoff.isoformat())
        for visit_id in db.session.scalars(due_visits(brand.id, cutoff)).all():
            _purge_visit(visit_id, now, storage, summary, dry_run)
        _purge_actions(brand.id, cutoff, now, storage, summary, dry_run)
        _purge_reports(brand.id, cutoff, storage, summary, dry_run)
        if summary.changed and not dry_run:
            record(None, "brand", brand.id, "retention_purge", new=summary.as_dict(),
                   reason=f"retention {brand.retention_months} months")
            db.session.commit()
        summaries.append(summary)
    return summaries


def due_visits(brand_id: int, cutoff: datetime):
    """Ids of the brand's visits made before the cutoff and not purged yet. A visit's age
    counts from when it was made (else submitted, else the end of its due window); a visit
    with an open dispute waits until the dispute is decided."""
    open_dispute = select(Dispute.id).where(Dispute.visit_id == Visit.id,
                                            Dispute.status == "open").exists()
    return (
        select(Visit.id).join(Branch, Branch.id == Visit.branch_id)
        .where(Branch.brand_id == brand_id, Visit.purged_at.is_(None),
               Visit.status.in_(WORKED), ~open_dispute,
               or_(Visit.visited_at < cutoff,
                   and_(Visit.visited_at.is_(None), Visit.submitted_at < cutoff),
                   and_(Visit.visited_at.is_(None), Visit.submitted_at.is_(None),
                        Visit.due_until < cutoff.date())))
        .order_by(Visit.id)
    )


def blank_visit_text(visit_id: int, text_question_ids: set[int], *, dry_run: bool = False,
                     reviewer_notes: bool = True) -> int:
    """Blank the visit's free text: narrative, staff description, answer comments, photo
    captions, free-text answers no condition reads (no score can change) and, unless told
    not to (erasing a shopper leaves the reviewer's words), the reviewer's notes. Returns
    how many answers were blanked. Shared with erasure."""
    answers = db.session.execute(
        select(Answer.id, Answer.question_id, Answer.value, Answer.comment)
        .where(Answer.visit_id == visit_id)).all()
    to_blank = [a for a in answers
                if a.comment or (a.question_id in text_question_ids and a.value is not None)]
    if dry_run:
        return len(to_blank)
    facts = db.session.scalar(select(Visit.facts).where(Visit.id == visit_id))
    blanked: dict[str, Any] = {"narrative": "", "staff_description": "",
                               "facts": without_staff_facts(facts)}
    if reviewer_notes:
        blanked["reviewer_comment"] = ""
    db.session.execute(update(Visit).where(Visit.id == visit_id).values(
        **blanked, revision=Visit.revision + 1))
    for a in to_blank:
        values: dict[str, Any] = {"comment": ""}
        if a.question_id in text_question_ids:
            values["value"] = None
        db.session.execute(update(Answer).where(Answer.id == a.id).values(**values))
    db.session.execute(update(Photo).where(Photo.visit_id == visit_id).values(caption=""))
    # Copies of that text in the log: reasons of status changes (a return's comments) and
    # the values of free-text answers edited by a reviewer or a dispute.
    text_codes = set(db.session.scalars(
        select(Question.code).where(Question.id.in_(text_question_ids))))
    if reviewer_notes:
        db.session.execute(update(AuditLog).where(
            AuditLog.entity == "visit", AuditLog.entity_id == visit_id,
            AuditLog.action == "status", AuditLog.reason != "").values(reason=REMOVED))
    if text_codes:
        db.session.execute(update(AuditLog).where(
            AuditLog.entity == "visit", AuditLog.entity_id == visit_id,
            AuditLog.field.in_(text_codes)).values(old_value=REMOVED, new_value=REMOVED))
    return len(to_blank)


def text_question_ids(visit_id: int) -> set[int]:
    """Ids of the visit's free-text questions whose answers can be blanked."""
    questions = db.session.scalars(
        select(Question).join(Visit, Visit.checklist_version_id == Question.version_id)
        .where(Visit.id == visit_id)).all()
    codes = blankable_text_codes(questions)
    return {q.id for q in questions if q.code in codes}


def _purge_visit(visit_id: int, now: datetime, storage: Storage, summary: PurgeSummary,
                 dry_run: bool) -> None:
    if not dry_run:
        claimed = db.session.execute(
            update(Visit).where(Visit.id == visit_id, Visit.purged_at.is_(None))
            .values(purged_at=now, revision=Visit.revision + 1)).rowcount
        if claimed != 1:  # another process purged it first
            db.session.rollback()
            return
    answers = blank_visit_text(visit_id, text_question_ids(visit_id), dry_run=dry_run)
    photos = db.session.execute(
        select(Photo.id, Photo.storage_key, Photo.thumb_key)
        .where(Photo.visit_id == visit_id, Photo.purged_at.is_(None))).all()
    disputes = db.session.scalars(
        select(Dispute.id).where(Dispute.visit_id == visit_id, or_(
            Dispute.comment != "", Dispute.resolution_reason != ""))).all()
    summary.visits += 1
    summary.answers += answers
    summary.photos += len(photos)
    summary.disputes += len(disputes)
    if dry_run:
        return
    if photos:
        db.session.execute(update(Photo).where(Photo.id.in_([p.id for p in photos]))
                           .values(purged_at=now, caption="", **PURGED_PHOTO))
    forget_deleted_photo_hashes([visit_id])
    if disputes:
        db.session.execute(update(Dispute).where(Dispute.id.in_(disputes)).values(
            comment="", resolution_reason="", revision=Dispute.revision + 1))
        db.session.execute(update(AuditLog).where(
            AuditLog.entity == "dispute", AuditLog.entity_id.in_(disputes),
            AuditLog.reason != "").values(reason=REMOVED))
    # Files before the commit: if the commit fails, the next run claims the visit again
    # and deleting a missing key is harmless.
    for photo in photos:
        for key in (photo.storage_key, photo.thumb_key):
            if key:
                storage.delete(key)
    db.session.commit()


def forget_deleted_photo_hashes(visit_ids: list[int]) -> int:
    """Blank the SHA-256 the audit log kept of photos the shopper deleted from these visits
    (their files are long gone; the hash would still identify the picture). Returns how
    many entries changed. Shared with erasure."""
    entries = db.session.execute(select(AuditLog.id, AuditLog.old_value).where(
        AuditLog.entity == "photo", AuditLog.action == "delete",
        AuditLog.old_value["visit"].as_integer().in_(visit_ids))).all()
    changed = 0
    for entry in entries:
        if isinstance(entry.old_value, dict) and entry.old_value.get("sha256") is not None:
            db.session.execute(update(AuditLog).where(AuditLog.id == entry.id).values(
                old_value={**entry.old_value, "sha256": None}))
            changed += 1
    return changed


def forget_action_photo_hash(photo_id: int) -> None:
    """Blank the SHA-256 the audit log kept when the corrective action's photo was added."""
    entries = db.session.execute(select(AuditLog.id, AuditLog.new_value).where(
        AuditLog.entity == "corrective_action", AuditLog.action == "photo",
        AuditLog.new_value["photo"].as_integer() == photo_id)).all()
    for entry in entries:
        if isinstance(entry.new_value, dict) and entry.new_value.get("sha256") is not None:
            db.session.execute(update(AuditLog).where(AuditLog.id == entry.id).values(
                new_value={**entry.new_value, "sha256": None}))


def _purge_actions(brand_id: int, cutoff: datetime, now: datetime, storage: Storage,
                   summary: PurgeSummary, dry_run: bool) -> None:
    """Comments and photos of corrective actions closed before the cutoff."""
    closed = func.coalesce(CorrectiveAction.verified_at, CorrectiveAction.done_at,
                           CorrectiveAction.created_at)
    actions = select(CorrectiveAction.id).where(
        CorrectiveAction.brand_id == brand_id, CorrectiveAction.status.in_(ACTION_CLOSED),
        closed < cutoff)
    comments = db.session.scalars(select(ActionComment.id).where(
        ActionComment.action_id.in_(actions), ActionComment.text != "")).all()
    photos = db.session.execute(select(ActionPhoto.id, ActionPhoto.storage_key,
                                       ActionPhoto.thumb_key).where(
        ActionPhoto.action_id.in_(actions), ActionPhoto.purged_at.is_(None))).all()
    if dry_run:
        summary.action_comments += len(comments)
        summary.action_photos += len(photos)
        return
    if comments:
        summary.action_comments += db.session.execute(
            update(ActionComment).where(ActionComment.id.in_(comments),
                                        ActionComment.text != "").values(text="")).rowcount
        db.session.execute(update(AuditLog).where(
            AuditLog.entity == "corrective_action", AuditLog.entity_id.in_(actions),
            AuditLog.action == "status", AuditLog.reason != "").values(reason=REMOVED))
    for photo in photos:
        claimed = db.session.execute(
            update(ActionPhoto).where(ActionPhoto.id == photo.id,
                                      ActionPhoto.purged_at.is_(None))
            .values(purged_at=now, caption="", **PURGED_ACTION_PHOTO)).rowcount
        if claimed == 1:
            forget_action_photo_hash(photo.id)
            for key in (photo.storage_key, photo.thumb_key):
                if key:
                    storage.delete(key)
            summary.action_photos += 1
    db.session.commit()


def _purge_reports(brand_id: int, cutoff: datetime, storage: Storage,
                   summary: PurgeSummary, dry_run: bool) -> None:
    """Generated reports older than the cutoff: copies of the visits, photos included."""
    old = db.session.execute(select(Report.id, Report.storage_key).where(
        Report.brand_id == brand_id, Report.created_at < cutoff,
        Report.status.in_(("done", "failed")))).all()
    if dry_run:
        summary.reports += len(old)
        return
    for report in old:
        if db.session.execute(delete(Report).where(Report.id == report.id)).rowcount == 1:
            if report.storage_key:
                storage.delete(report.storage_key)
            summary.reports += 1
    db.session.commit()
