"""Where report jobs run. Embedded default: a process-wide thread pool, no extra service.
With REDIS_URL set: an RQ queue shared by every app process, worked by
`flask --app wsgi.py reports worker`. REPORTS_BACKEND ("thread", "rq", "inline" or
"manual") overrides the choice; "inline" runs the job in the request, "manual" leaves it
queued (tests drive it).

The queue runs the job it is given (`operations.run_report`): it knows nothing of reports,
so operations depends on it and not the other way round."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, has_app_context

DEFAULT_QUEUE = "reports"
JOB_TIMEOUT = 15 * 60  # seconds an RQ job may run before RQ stops it

Job = Callable[[int], None]  # runs one report by id, inside an app context

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _forget_pool_after_fork() -> None:
    """A forked child has none of its parent's threads: it makes its own pool on first use."""
    global _executor, _lock
    _executor, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def backend(app: Flask) -> str:
    """The configured back end's name."""
    chosen = app.config.get("REPORTS_BACKEND")
    if chosen:
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


def executor(app: Flask) -> ThreadPoolExecutor:
    """The process-wide pool (REPORT_WORKERS threads, default 2), made on first use."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=int(app.config.get("REPORT_WORKERS", 2)),
                                           thread_name_prefix="report")
        return _executor


def redis_connection(app: Flask):  # noqa: ANN201 - redis.Redis, imported lazily
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"])


def queue(app: Flask):  # noqa: ANN201 - rq.Queue
    """The RQ queue named REPORTS_QUEUE (default "reports")."""
    from rq import Queue

    return Queue(app.config.get("REPORTS_QUEUE", DEFAULT_QUEUE),
                 connection=redis_connection(app))


def enqueue(job: Job, report_id: int) -> Any:
    """Hand the report's job to the back end; returns its Future, RQ job, or None."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    match backend(app):
        case "rq":
            return queue(app).enqueue(rq_job, job, report_id, job_timeout=JOB_TIMEOUT,
                                      result_ttl=0)
        case "inline":
            job(report_id)
            return None
        case "manual":
            return None
    return executor(app).submit(thread_job, app, job, report_id)


def thread_job(app: Flask, job: Job, report_id: int) -> None:
    """Run one job in a pool thread, with its own app context and so its own session."""
    with app.app_context():
        job(report_id)


def rq_job(job: Job, report_id: int) -> None:
    """Run one job in an RQ worker: inside the worker's app context, or a new app."""
    if has_app_context():
        job(report_id)
        return
    from audit import create_app  # a bare `rq worker` process: the factory is its entry

    with create_app().app_context():
        job(report_id)


def wait_all() -> None:
    """Let the pool finish its jobs (used at shutdown and by tests)."""
    global _executor
    with _lock:
        pool, _executor = _executor, None
    if pool is not None:
        pool.shutdown(wait=True)
