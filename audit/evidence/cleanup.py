"""Orphan files: stored files no database row refers to. Uploads write the file first and
commit the row after, so a process killed in between (or a row deleted before its file)
leaves one behind; this finds them, past a grace period that protects uploads and reports
still in flight, and deletes them. Works the same on local disk and S3."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, union_all

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.actions import ActionPhoto
from audit.models.reports import Report
from audit.models.visits import Photo
from audit.storage.base import PARTIAL_SUFFIX, Storage, StoredFile

# Only the application's own areas are swept; anything else under the root or the bucket
# prefix (a backup, another tool's files) is left alone.
AREAS = ("visits/", "actions/", "reports/")
KINDS = ("photos", "thumbnails", "action evidence", "report files", "partial writes")
DEFAULT_GRACE = timedelta(hours=24)


@dataclass
class Sweep:
    """What a cleanup found: orphans by kind, and unreferenced files still in their grace."""

    scanned: int = 0
    orphans: list[StoredFile] = field(default_factory=list)
    recent: int = 0
    deleted: int = 0

    @property
    def by_kind(self) -> Counter[str]:
        return Counter(kind_of(f) for f in self.orphans)

    @property
    def size(self) -> int:
        return sum(f.size for f in self.orphans)


def kind_of(stored: StoredFile) -> str:
    """Which of KINDS a stored file is, from its key."""
    if stored.partial or stored.key.endswith(PARTIAL_SUFFIX):
        return "partial writes"
    if stored.key.startswith("reports/"):
        return "report files"
    if "-thumb." in stored.key.rsplit("/", 1)[-1]:
        return "thumbnails"
    return "action evidence" if stored.key.startswith("actions/") else "photos"


def referenced_keys() -> set[str]:
    """Every key a row points at: visit photos and thumbnails, action evidence and its
    thumbnails, report files."""
    columns = (Photo.storage_key, Photo.thumb_key, ActionPhoto.storage_key,
               ActionPhoto.thumb_key, Report.storage_key)
    query = union_all(*(select(c.label("key")).where(c.is_not(None)) for c in columns))
    return set(db.session.scalars(select(query.subquery().c.key)))


def find_orphans(storage: Storage, *, older_than: timedelta = DEFAULT_GRACE,
                 now: datetime | None = None) -> Sweep:
    """List the areas first, then read the references (in a transaction begun after the
    listing): a file listed before its row was committed is younger than the grace, so an
    upload in flight is never taken for an orphan."""
    cutoff = (now or utcnow()) - older_than
    listed = [f for area in AREAS for f in storage.files(area)]
    referenced = referenced_keys()
    sweep = Sweep(scanned=len(listed))
    for stored in listed:
        if stored.key in referenced:
            continue
        if stored.modified >= cutoff:
            sweep.recent += 1
        else:
            sweep.orphans.append(stored)
    return sweep


def cleanup(storage: Storage, *, older_than: timedelta = DEFAULT_GRACE,
            now: datetime | None = None, dry_run: bool = False) -> Sweep:
    """Find the orphans and, unless `dry_run`, delete them."""
    sweep = find_orphans(storage, older_than=older_than, now=now)
    if not dry_run:
        for stored in sweep.orphans:
            storage.delete(stored.key)
            sweep.deleted += 1
    return sweep
