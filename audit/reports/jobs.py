"""Where report jobs run: the shared back end of `audit.core.background` (a thread pool in
each process, or RQ when REDIS_URL is set), on the queue REPORTS_QUEUE (default
"reports"), worked by `flask --app wsgi.py reports worker`. REPORTS_BACKEND ("thread",
"rq", "inline" or "manual") overrides the choice; "inline" runs the job in the request,
"manual" leaves it queued (tests drive it).

The queue runs the job it is given (`operations.run_report`): it knows nothing of reports,
so operations depends on it and not the other way round."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from audit.core import background
from audit.core.background import JOB_TIMEOUT, wait_all

DEFAULT_QUEUE = "reports"
SETTING = "REPORTS_BACKEND"

Job = Callable[[int], None]  # runs one report by id, inside an app context

__all__ = ["JOB_TIMEOUT", "backend", "enqueue", "queue", "wait_all"]


def backend(app: Flask) -> str:
    """The configured back end's name."""
    return background.backend(app, SETTING)


def queue(app: Flask):  # noqa: ANN201 - rq.Queue
    """The RQ queue named REPORTS_QUEUE (default "reports")."""
    return background.queue(app, app.config.get("REPORTS_QUEUE", DEFAULT_QUEUE))


def enqueue(job: Job, report_id: int) -> Any:
    """Hand the report's job to the back end; returns its Future, RQ job, or None."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return background.enqueue(
        job, report_id, setting=SETTING, queue_name=app.config.get("REPORTS_QUEUE", DEFAULT_QUEUE)
    )
