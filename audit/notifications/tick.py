"""The periodic tick: the registered @periodic tasks (reminders, deadlines, report expiry),
the e-mails that are due (retries, jobs that were lost) and the daily digests, once per
period wherever it runs. Every app process may call it (the timer thread of each gunicorn
worker, a cron line running `flask --app wsgi.py jobs tick`): the database lease "tick"
lets one of them do the work per period."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from audit.core.clock import utcnow
from audit.db_setup import writing
from audit.extensions import db
from audit.notifications import digest, lease, schedule, sending

log = logging.getLogger(__name__)
LEASE = "tick"
DEFAULT_PERIOD = 60.0


def period() -> float:
    """Seconds between two ticks (TICK_SECONDS; a cron line every minute: 60)."""
    return float(current_app.config.get("TICK_SECONDS") or DEFAULT_PERIOD)


def _run(name: str, task, now: datetime) -> int:  # noqa: ANN001 - a schedule.Task
    """One task; its failure is logged and does not stop the others."""
    try:
        return int(task(now) or 0)
    except Exception:  # noqa: BLE001
        db.session.rollback()
        log.exception("tick: task %s failed", name)
        return -1


def run_tick(now: datetime | None = None) -> dict[str, int] | None:
    """Do the period's work if this process takes the lease; what each part did, or None
    when another process holds the lease (it does the work)."""
    now = now or utcnow()
    # The lease ends a little before the next period, so a timer that fires a moment
    # early still takes it; within the period every other caller finds it held.
    if not lease.take(LEASE, now, max(1.0, period() - 5)):
        return None
    with writing():  # the tasks read, then write: on SQLite, take the lock first
        done = {name: _run(name, task, now) for name, task in list(schedule.TASKS.items())}
    done["mail"] = _run("mail", sending.send_due, now)
    done["digests"] = _run("digests", digest.run_digests, now)
    log.info("tick %s: %s", now.isoformat(timespec="seconds"), done)
    return done
