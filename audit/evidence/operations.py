"""Adding and removing evidence photos: pipeline, storage, flags for the reviewer, audit log."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from audit.evidence.pipeline import PhotoRejected, ProcessedPhoto, hamming, ingest
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Branch
from audit.models.visits import Photo, Visit
from audit.storage import storage_for
from audit.storage.base import discard
from audit.vocabulary import SHOPPER_EDITABLE

SIMILAR_BITS = 6  # perceptual-hash distance under which two pictures count as the same scene


class UnknownQuestion(Exception):
    """The photo names a question that is not in the visit's checklist."""


class VisitClosed(Exception):
    """The visit was submitted (or otherwise left the shopper's hands) before this photo
    change reached it; nothing was changed."""


def rejection_message(error: PhotoRejected) -> str:
    """The user-language message for a refused upload."""
    messages = {
        "not_image": _("This file is not a photo we can read. Send a JPEG, PNG, WebP or HEIC "
                       "picture."),
        "unsupported_format": _("%(format)s files are not accepted. Send a JPEG, PNG, WebP or "
                                "HEIC picture."),
        "too_large": _("The photo is larger than %(limit_mb)s MB."),
        "too_many_pixels": _("The picture has too many pixels to be a phone photo."),
        "truncated": _("The photo arrived incomplete. Send it again."),
        "trailing_data": _("The file holds more than a picture and was refused."),
    }
    message = messages[error.key]
    return message % error.params if error.params else message


def add_photo(visit: Visit, raw: bytes, *, question_code: str | None, caption: str,
              actor: User, reported_capture: datetime | None = None,
              client_id: str | None = None) -> Photo:
    """Process and store an upload; nothing is stored when it is refused.

    `reported_capture` is the capture time the phone read from the original file before it
    downscaled the picture (a canvas keeps no EXIF, so the "outside the visit window" flag
    never fired for real phone photos, defect 6). It is used only when the uploaded image
    carries no time of its own, and only when plausible; `capture_source` says which.

    `client_id` is the phone outbox's name for this photo: sending it again (a retry after a
    lost answer, a second tab) returns the photo already stored, never a copy."""
    if client_id and (existing := stored_by_client(visit, client_id)) is not None:
        return existing
    question = None
    if question_code:
        question = next((q for q in visit.checklist_version.ordered_questions()
                         if q.code == question_code), None)
        if question is None:
            raise UnknownQuestion(question_code)
    processed = ingest(raw, max_bytes=current_app.config["MAX_PHOTO_BYTES"])
    source = "file" if processed.captured_at is not None else None
    if processed.captured_at is None and plausible_capture(reported_capture):
        processed = dataclasses.replace(processed, captured_at=reported_capture)
        source = "browser"
    storage = storage_for(current_app)
    key = f"visits/{visit.id}/{uuid.uuid4().hex}"
    photo = Photo(
        visit=visit, question=question, caption=(caption or "")[:500],
        storage_key=f"{key}.jpg", thumb_key=f"{key}-thumb.jpg", content_type="image/jpeg",
        source_format=processed.source_format, width=processed.width,
        height=processed.height, size_bytes=len(processed.data), sha256=processed.sha256,
        phash=processed.phash, captured_at=_aware(processed.captured_at, visit.branch),
        uploaded_by_id=actor.id, flags=reviewer_flags(visit, processed),
        client_id=client_id or None, capture_source=source,
    )
    try:  # files first, then the row: a crash in between leaves only an orphan file
        storage.put(photo.storage_key, processed.data)
        storage.put(photo.thumb_key, processed.thumbnail)
        db.session.add(photo)
        db.session.flush()
        count_photo_change(visit.id)
        record(actor, "photo", photo.id, "add", new={"visit": visit.id,
                                                    "question": question_code})
        db.session.commit()
    except IntegrityError:  # the same client id arrived twice at once: the first stands
        db.session.rollback()
        discard(storage, photo.storage_key, photo.thumb_key)
        existing = stored_by_client(visit, client_id) if client_id else None
        if existing is None:
            raise
        return existing
    except BaseException:  # a worker timeout (SystemExit) too: no file without its row
        db.session.rollback()
        discard(storage, photo.storage_key, photo.thumb_key)
        raise
    return photo


def stored_by_client(visit: Visit, client_id: str) -> Photo | None:
    """The photo a phone already sent under this id, if any."""
    return db.session.scalar(select(Photo).where(Photo.visit_id == visit.id,
                                                 Photo.client_id == client_id))


def delete_photo(photo: Photo, actor: User) -> None:
    """Remove a photo before the visit is submitted (row, files, logged)."""
    storage = storage_for(current_app)
    keys = [photo.storage_key, photo.thumb_key]
    try:
        count_photo_change(photo.visit_id)
    except VisitClosed:
        db.session.rollback()
        raise
    record(actor, "photo", photo.id, "delete", old={"visit": photo.visit_id,
                                                   "sha256": photo.sha256})
    db.session.delete(photo)
    db.session.commit()
    discard(storage, *keys)  # after the commit: a crash here leaves only orphan files


def count_photo_change(visit_id: int) -> None:
    """Count an added or removed photo in the visit's version counter, in the photo's own
    transaction, so a form or client holding the older revision sees the change (409).

    One atomic `revision + 1` rather than the ORM's `WHERE revision = <read>`: a photo is
    added beside the answers, never over them, so the shopper's own autosave racing an
    upload must not cost the upload. The same UPDATE refuses a visit that left the
    shopper's hands (submitted in the meantime): no photo slips into a sent report."""
    bumped = db.session.execute(
        update(Visit).where(Visit.id == visit_id, Visit.status.in_(SHOPPER_EDITABLE))
        .values(revision=Visit.revision + 1),
        execution_options={"synchronize_session": False}).rowcount
    if bumped != 1:
        raise VisitClosed(visit_id)


def plausible_capture(moment: datetime | None) -> bool:
    """A reported capture time with an offset, after 2000 and not in the future."""
    if moment is None or moment.tzinfo is None:
        return False
    return datetime(2000, 1, 1, tzinfo=UTC) <= moment <= datetime.now(UTC) + timedelta(hours=1)


def reviewer_flags(visit: Visit, processed: ProcessedPhoto) -> list[str]:
    """Reuse of the same or a near-identical picture in another visit of the brand, and a
    capture time outside the visit's window. Purged photos keep no hash (NULL) and count
    for nothing."""
    flags = []
    others = db.session.execute(
        select(Photo.sha256, Photo.phash)
        .join(Visit, Visit.id == Photo.visit_id)
        .join(Branch, Branch.id == Visit.branch_id)
        .where(Branch.brand_id == visit.branch.brand_id, Photo.visit_id != visit.id,
               Photo.sha256.is_not(None))
    ).all()
    if any(sha == processed.sha256 for sha, _ in others):
        flags.append("reused")
    elif any(p and hamming(p, processed.phash) <= SIMILAR_BITS for _, p in others):
        flags.append("similar")
    captured = _aware(processed.captured_at, visit.branch)
    if captured is not None:
        zone = ZoneInfo(visit.branch.timezone)
        start = datetime.combine(visit.due_from, datetime.min.time(), zone) - timedelta(days=1)
        end = datetime.combine(visit.due_until, datetime.max.time(), zone) + timedelta(days=1)
        if not start <= captured <= end:
            flags.append("outside_window")
    return flags


def _aware(moment: datetime | None, branch: Branch) -> datetime | None:
    """A camera's local time without an offset is read in the branch's timezone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(branch.timezone))
