"""The tick without extra set-up: each app process that serves a request starts one daemon
thread that calls `run_tick` every TICK_SECONDS (the lease makes it run once per period
across processes). Started on the first request of a process, never at import: gunicorn's
master imports the app and forks the workers, and a thread does not survive a fork.
TICK_SECONDS=0 (and the test configuration) turns it off; then use a cron line."""

from __future__ import annotations

import logging
import os
import random
import threading
import time

from flask import Flask

log = logging.getLogger(__name__)
_started: dict[str, int] = {}  # the process that started its thread
_lock = threading.Lock()


def install(app: Flask) -> None:
    """Start the process's timer with its first request."""
    if not float(app.config.get("TICK_SECONDS") or 0) or app.testing:
        return

    @app.before_request
    def _start_timer() -> None:
        if _started.get("pid") != os.getpid():
            start(app)


def start(app: Flask) -> threading.Thread | None:
    """The process's timer thread (one per process)."""
    with _lock:
        if _started.get("pid") == os.getpid():
            return None
        _started["pid"] = os.getpid()
    thread = threading.Thread(target=_loop, args=(app,), name="tick", daemon=True)
    thread.start()
    return thread


def _loop(app: Flask) -> None:
    from audit.notifications.tick import run_tick

    seconds = float(app.config["TICK_SECONDS"])
    time.sleep(random.uniform(1, seconds))  # noqa: S311 - spread the workers' attempts
    while True:
        try:
            with app.app_context():
                run_tick()
        except Exception:  # noqa: BLE001 - the timer must outlive a bad minute
            log.exception("tick failed")
        time.sleep(seconds)
