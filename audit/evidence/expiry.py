"""Old report files: a finished report's file is kept REPORT_KEEP_DAYS days, then deleted;
the row stays, marked expired, so the library can offer to generate it again."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.reports import Report
from audit.notifications import periodic
from audit.storage import storage_for
from audit.storage.base import Storage

BATCH = 500  # rows marked per commit, so a large library never holds one long transaction


def expired_before(keep_days: int, now: datetime | None = None) -> datetime | None:
    """The cut-off: reports finished before it have expired; None when kept for ever (0)."""
    if keep_days <= 0:
        return None
    return (now or utcnow()) - timedelta(days=keep_days)


def due(keep_days: int, now: datetime | None = None) -> list[Report]:
    """Finished reports older than the keep period, oldest first."""
    cutoff = expired_before(keep_days, now)
    if cutoff is None:
        return []
    return list(db.session.scalars(
        select(Report).where(Report.status == "done", Report.finished_at < cutoff)
        .order_by(Report.finished_at, Report.id)))


def expire(storage: Storage, keep_days: int, *, now: datetime | None = None,
           dry_run: bool = False) -> tuple[int, int]:
    """Mark due reports expired and delete their files; returns (reports, bytes).

    The row is committed before its file is deleted: a process killed in between leaves an
    unreferenced file, which the orphan cleanup removes, never a row pointing at nothing."""
    reports = due(keep_days, now)
    size = sum(r.size_bytes or 0 for r in reports)
    if dry_run:
        return len(reports), size
    moment = now or utcnow()
    for start in range(0, len(reports), BATCH):
        batch = reports[start:start + BATCH]
        keys = [r.storage_key for r in batch if r.storage_key]
        for report in batch:
            report.status, report.storage_key, report.expired_at = "expired", None, moment
            record(None, "report", report.id, "expired", field="status", old="done",
                   new="expired")
        db.session.commit()
        for key in keys:
            storage.delete(key)
    return len(reports), size


@periodic("report_expiry")
def expire_reports(now: datetime) -> int:
    """The tick's share: report files past REPORT_KEEP_DAYS (0: kept for ever) are deleted,
    at most once a period wherever the tick runs; `flask storage cleanup` still does it by
    hand, with the orphan sweep."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    keep = int(app.config.get("REPORT_KEEP_DAYS", 30))
    if keep <= 0:
        return 0
    return expire(storage_for(app), keep, now=now)[0]
