"""Requesting a report, running its job (status, throttled progress, stored file, failure
message) and reading its file back. The job queue itself is in `jobs.py`."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from audit.core.clock import utcnow
from audit.errors import DomainError, OutOfScope
from audit.extensions import db
from audit.ids import id_or_none
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.reports import LANGS, STALE_AFTER, Report
from audit.models.visits import Visit
from audit.reports import (
    attachments,  # noqa: F401 - registers the messages' files
    events,
    jobs,
    library,
    registry,
)
from audit.storage import storage_for

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 1.0  # seconds between progress writes while a report renders
ERRORS = {
    "out_of_scope": _l("The report's subject is outside what you may see, or no longer "
                       "exists."),
    "interrupted": _l("The report's job stopped before it finished. Generate it again."),
    "expired": _l("The report's file was deleted after the keep period. Generate it again."),
    "failed": _l("The report could not be generated. Try again; if it fails again, tell "
                 "the administrator."),
}


class BadRequest(ValueError):
    """The kind, language or parameters cannot make a report; `field` names the culprit."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    ident = None if isinstance(value, bool) else id_or_none(value)
    if ident is None:
        raise BadRequest("params")
    return ident


def clean_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters stored for a kind: ids as integers, unknown keys dropped."""
    if kind == "visit":
        visit = _int_or_none(params.get("visit"))
        if visit is None:
            raise BadRequest("params")
        return {"visit": visit}
    if kind == "comparison":
        campaign = _int_or_none(params.get("campaign"))
        if campaign is None:
            raise BadRequest("params")
        return {"campaign": campaign, "region": _int_or_none(params.get("region")),
                "franchisee": _int_or_none(params.get("franchisee"))}
    return dict(params)


def _brand_id(user: User, params: dict[str, Any]) -> int | None:
    """The brand whose managers see the report in their library."""
    if params.get("campaign"):
        campaign = db.session.get(Campaign, params["campaign"])
        if campaign is not None:
            return campaign.brand_id
    if params.get("visit"):
        visit = db.session.get(Visit, params["visit"])
        if visit is not None:
            return visit.branch.brand_id
    if user.brand_id is not None:
        return user.brand_id
    return user.franchisee.brand_id if user.franchisee else None


class ReportNotMade(DomainError):
    """A report rendered in the request did not finish: 404 when its subject is out of the
    requester's scope (or gone), 500 otherwise; the report's own message for the API."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report
        self.status = 404 if report.error == "out_of_scope" else 500

    def message(self) -> str:
        return error_message(self.report)


def create(user: User, kind: str, params: dict[str, Any], lang: str) -> Report:
    """Add a queued report row (committed by the caller); ids outside the user's scope
    raise OutOfScope here, before anything is queued."""
    if kind not in registry.KINDS:
        raise BadRequest("kind")
    if lang not in LANGS:
        raise BadRequest("lang")
    params = library.check_scope(user, kind, clean_params(kind, params or {}))
    spec = registry.get(kind)
    report = Report(kind=kind, params=params, lang=lang, brand_id=_brand_id(user, params),
                    requested_by=user, status="queued", progress=0,
                    media_type=spec.media_type)
    db.session.add(report)
    db.session.flush()
    report.filename = f"{kind}-{report.id}-{lang}.{spec.extension}"
    record(user, "report", report.id, "requested", new={"kind": kind, "params": params,
                                                         "lang": lang})
    return report


def request_report(user: User, kind: str, params: dict[str, Any], lang: str) -> Report:
    """Create the report and hand it to the configured queue (after the commit, so a job in
    another process finds the row)."""
    report = create(user, kind, params, lang)
    report_id = report.id
    db.session.commit()
    jobs.enqueue(run_report, report_id)  # no read before this: SQLite must not hold an old snapshot
    return report


def render_now(user: User, kind: str, params: dict[str, Any], lang: str) -> Report:
    """Create the report and render it inside this request (small reports: one visit)."""
    report = create(user, kind, params, lang)
    db.session.commit()
    run_report(report.id, announce=False)
    db.session.refresh(report)
    return report


def render_or_refuse(user: User, kind: str, params: dict[str, Any], lang: str) -> Report:
    """The one way a page, the library or the API renders a report now: the finished
    report, kept in the library, or ReportNotMade (404 out of scope, else 500) with the
    report. Ids out of scope before rendering raise OutOfScope, bad parameters BadRequest."""
    report = render_now(user, kind, params, lang)
    if report.status != "done":
        raise ReportNotMade(report)
    return report


def _progress_writer(report_id: int):  # noqa: ANN202 - returns a registry.Progress
    """Write progress in its own short transaction, at most once per PROGRESS_INTERVAL, so
    pollers see it while the render's own session is still reading."""
    last = [0.0]

    def progress(percent: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL and percent < 100:
            return
        last[0] = now
        value = max(0, min(99, int(percent)))  # 100 only once the file is stored
        with Session(bind=db.session.get_bind(),
                     join_transaction_mode="create_savepoint") as own:
            own.execute(update(Report).where(Report.id == report_id)
                        .values(progress=value))
            own.commit()

    return progress


def run_report(report_id: int, announce: bool = True) -> None:
    """The job: claim the queued report, render it with the requester's rights, store the
    file, mark it done. An attempt that raises anywhere (the claim's commit on a locked
    SQLite file as much as the renderer) is logged and tried again after each of
    REPORT_RETRY_DELAYS; the last failure marks the report failed with its reason. Nothing
    may escape: in the thread pool an exception ends in a Future nobody reads, and the row
    stayed "queued" for ever (defect 3). A finished library report is announced to the
    people it concerns (`events`) in the transaction that marks it done; one rendered in
    a request (`announce` False) is not: its reader has it."""
    delays = tuple(current_app.config.get("REPORT_RETRY_DELAYS", ()))
    for attempt in range(len(delays) + 1):
        try:
            _attempt(report_id, retry=attempt > 0, announce=announce)
            return
        except OutOfScope:
            _fail(report_id, "out_of_scope")
            return
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then recorded
            log.exception("report %s: attempt %s of %s failed", report_id, attempt + 1,
                          len(delays) + 1)
            db.session.rollback()
            if attempt == len(delays):
                _fail(report_id, f"failed: {type(exc).__name__}: {exc}"[:1000])
                return
            time.sleep(delays[attempt])


def _claim(report_id: int, retry: bool) -> bool:
    """Mark the report running in one UPDATE, so two deliveries of one job (a retry, a
    re-queue, RQ's at-least-once) run it once. A retry of this process's own attempt takes
    it back from "running"."""
    statuses = ("queued", "running") if retry else ("queued",)
    claimed = db.session.execute(
        update(Report).where(Report.id == report_id, Report.status.in_(statuses))
        .values(status="running", started_at=utcnow())).rowcount
    db.session.commit()
    return claimed == 1


def _attempt(report_id: int, retry: bool, announce: bool = True) -> None:
    if not _claim(report_id, retry):
        return
    report = db.session.get(Report, report_id)
    user_id, kind, params, lang = (report.requested_by_id, report.kind, dict(report.params),
                                   report.lang)
    data = registry.get(kind).render(db.session.get(User, user_id), params, lang,
                                     _progress_writer(report_id))
    db.session.rollback()  # end the render's reads; the row is written afresh
    report = db.session.get(Report, report_id)
    key = f"reports/{report.id}/{uuid.uuid4().hex}.{registry.get(kind).extension}"
    storage_for(current_app).put(key, data)
    report.storage_key, report.size_bytes = key, len(data)
    report.status, report.progress, report.finished_at = "done", 100, utcnow()
    report.error = ""
    if announce:
        _announce(report)
    db.session.commit()


def _announce(report: Report) -> None:
    """Announce the finished report in a savepoint: a failure to announce is logged and
    never fails (or re-runs) a report whose file is stored."""
    try:
        with db.session.begin_nested():
            events.announce_comparison_ready(report)
    except Exception:  # noqa: BLE001
        log.exception("report %s: its readers could not be told", report.id)


def _fail(report_id: int, reason: str) -> None:
    """Record the failure; if even that cannot be written, the log keeps it and the library
    shows the report as failed once it is stale."""
    try:
        db.session.rollback()
        db.session.execute(update(Report).where(Report.id == report_id).values(
            status="failed", error=reason, finished_at=utcnow()))
        db.session.commit()
    except Exception:  # noqa: BLE001
        log.exception("report %s: the failure could not be recorded (%s)", report_id, reason)
        db.session.rollback()


REQUEUE_AFTER = timedelta(minutes=3)
_last_requeue = [0.0]


def requeue_waiting(now: float | None = None) -> int:
    """Hand reports still "queued" REQUEUE_AFTER after their request to the queue again (the
    process that queued them stopped, or Redis lost the job). At most once a minute per
    process; the claim makes a report delivered twice run once. Returns how many."""
    now = time.monotonic() if now is None else now
    if now - _last_requeue[0] < 60:
        return 0
    _last_requeue[0] = now
    cutoff = utcnow() - REQUEUE_AFTER
    waiting = db.session.scalars(select(Report.id).where(
        Report.status == "queued", Report.created_at < cutoff,
        Report.created_at > utcnow() - STALE_AFTER)).all()
    for report_id in waiting:
        log.warning("report %s still queued after %s: queued again", report_id, REQUEUE_AFTER)
        jobs.enqueue(run_report, report_id)
    return len(waiting)


def error_message(report: Report) -> str:
    """The failure in the reader's language."""
    if report.is_stale:
        return str(ERRORS["interrupted"])
    if report.status == "expired":
        return str(ERRORS["expired"])
    return str(ERRORS.get(report.error, ERRORS["failed"])) if report.error else ""


def read_file(report: Report) -> bytes:
    """The stored file of a finished report."""
    return storage_for(current_app).get(report.storage_key or "")
