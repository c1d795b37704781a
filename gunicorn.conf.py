"""Gunicorn settings for production and `make run`: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value comes from the environment, so one file serves a laptop and a fleet of app
machines. Gunicorn reads this file itself; the app never imports it.

Preloading: on by default. The master imports the app once (WeasyPrint, SciPy, Pillow:
about a second and tens of MB per process) and forks the workers from it, so workers share
that memory and a worker recycled by `max_requests` starts at once. It is safe with our
database engines because the app factory opens no connection, and because any connection a
child could inherit is dropped after every fork (`audit.db_setup` registers
`engine.dispose(close=False)` with `os.register_at_fork`; `post_fork` below does it again
where a reader of this file looks for it). The report thread pool is made per process on
first use, never in the master. Set GUNICORN_PRELOAD=0 to load the app in each worker
instead (then `--reload` works and a broken deploy fails in the workers, not the master).
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


# Where to listen: GUNICORN_BIND wins, else HOST:PORT (what `make run` passes).
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
)

# Processes x threads. Requests mostly wait on the database or render templates (the GIL
# is released while waiting), so a few threads per process help; CPU-heavy work (photo
# decoding, PDFs) scales with processes. GUNICORN_WORKERS, else WEB_CONCURRENCY (the name
# platforms set), else 2 per core plus one.
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"

# A request may take this long before its worker is killed and replaced: a visit PDF with
# photos renders in about a second, big comparison PDFs belong in the report queue.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy) or a max_requests recycle: finish requests in flight (and the
# in-process report pool's jobs) for this long before the worker is killed.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle each worker after about this many requests (jitter spreads the restarts so the
# workers never all restart at once): it bounds any slow growth of memory.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

preload_app = _bool("GUNICORN_PRELOAD", True)

# gunicorn's control socket (for `gunicornc`) lives at one fixed path per user by default,
# so two servers on one machine (two checkouts, the test suite beside `make run`) would take
# each other's socket and remove it on exit. Off unless GUNICORN_CONTROL_SOCKET names a path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None
if control_socket is None:
    del control_socket

# The longest request line gunicorn reads (its maximum; its default is 4094). Addresses over
# the app's own limit (MAX_URI_LENGTH, 4094) get the app's 414: JSON under /api, a page
# elsewhere. Only a request line over this one still gets gunicorn's bare HTML 414, as a
# proxy in front (nginx: 8 KB by default) answers in its own format.
limit_request_line = 8190

# Logs to stdout/stderr for the process manager (systemd, a container runtime) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The peer (the proxy), the client it forwarded for, the request, status, size, seconds.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'

# Which proxies may set X-Forwarded-Proto (HTTPS detection for secure cookies and
# redirects). Default: a proxy on the same machine. Behind a load balancer elsewhere, set
# FORWARDED_ALLOW_IPS to its address(es); never "*" when the app port is reachable directly.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """Drop database connections inherited from the master (see the module docstring)."""
    from audit.db_setup import dispose_after_fork

    dispose_after_fork()
