"""Where background jobs run, for every feature that hands work off the request (report
renders, e-mails). Embedded default: a process-wide thread pool, no extra service. With
REDIS_URL set: RQ queues shared by every app process, worked by
`flask --app wsgi.py reports worker` (or `jobs worker`). A feature names its own setting
(REPORTS_BACKEND, MAIL_BACKEND) to override the choice with "thread", "rq", "inline" (run
in the caller) or "manual" (leave it; tests drive it).

The queue runs the function it is given with plain arguments (ids): it knows nothing of
the features, so they depend on it and not the other way round."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, has_app_context

JOB_TIMEOUT = 15 * 60  # seconds an RQ job may run before RQ stops it

Job = Callable[..., None]  # runs inside an app context, with plain arguments

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def _forget_pool_after_fork() -> None:
    """A forked child has none of its parent's threads: it makes its own pool on first use."""
    global _executor, _lock
    _executor, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def backend(app: Flask, setting: str) -> str:
    """The back end chosen by `setting`, else RQ with REDIS_URL, else the thread pool."""
    chosen = app.config.get(setting)
    if chosen:
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


def executor(app: Flask) -> ThreadPoolExecutor:
    """The process-wide pool (REPORT_WORKERS threads, default 2), made on first use."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=int(app.config.get("REPORT_WORKERS", 2)), thread_name_prefix="job"
            )
        return _executor


def redis_connection(app: Flask):  # noqa: ANN201 - redis.Redis, imported lazily
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"])


def queue(app: Flask, name: str):  # noqa: ANN201 - rq.Queue
    """The RQ queue called `name`."""
    from rq import Queue

    return Queue(name, connection=redis_connection(app))


def enqueue(job: Job, *args: Any, setting: str, queue_name: str, timeout: int = JOB_TIMEOUT) -> Any:
    """Hand `job(*args)` to the back end; returns its Future, RQ job, or None."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    match backend(app, setting):
        case "rq":
            return queue(app, queue_name).enqueue(
                rq_job, job, *args, job_timeout=timeout, result_ttl=0
            )
        case "inline":
            job(*args)
            return None
        case "manual":
            return None
    return executor(app).submit(thread_job, app, job, *args)


def thread_job(app: Flask, job: Job, *args: Any) -> None:
    """Run one job in a pool thread, with its own app context and so its own session."""
    with app.app_context():
        job(*args)


def rq_job(job: Job, *args: Any) -> None:
    """Run one job in an RQ worker: inside the worker's app context, or a new app."""
    if has_app_context():
        job(*args)
        return
    from audit import create_app  # a bare `rq worker` process: the factory is its entry

    with create_app().app_context():
        job(*args)


def wait_all() -> None:
    """Let the pool finish its jobs (used at shutdown and by tests)."""
    global _executor
    with _lock:
        pool, _executor = _executor, None
    if pool is not None:
        pool.shutdown(wait=True)
