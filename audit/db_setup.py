"""Engine settings per database: SQLite gets WAL, foreign keys, a busy timeout and real
transactions (pysqlite's own BEGIN handling breaks savepoints; SQLAlchemy docs recipe).

SQLite has one writer at a time. A deferred transaction that reads and then writes fails at
once with "database is locked" (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out) when
another connection committed in between. So a request that may write (any method but GET,
HEAD, OPTIONS) opens its transactions with BEGIN IMMEDIATE: it takes the write lock first,
waits for it up to the busy timeout (SQLITE_BUSY_TIMEOUT, 15 s), and then reads data
nobody can change under it. Pages that only read stay deferred and never wait (WAL lets
readers run beside the writer). A request still locked out after the timeout answers 503
with Retry-After (`audit.web.errors`), not 500.

Every engine drops its pooled connections in a forked child (gunicorn with preload, RQ's
work horse): a connection shared by two processes corrupts both sides' protocol state.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

SQLITE_BUSY_TIMEOUT = 15.0  # seconds a write waits for the lock; under gunicorn's timeout
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def configure_engine(engine: Engine, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> None:
    """Turn on the SQLite settings the platform relies on; make every engine fork-safe."""
    _engines.add(engine)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if request_may_write() else "BEGIN")


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked" (the busy timeout ran out)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


_writing: ContextVar[bool] = ContextVar("writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside take SQLite's write lock first (BEGIN IMMEDIATE), as a
    writing request's do: for a job outside any request that reads, then writes. Keep it
    short: the lock is held to the commit."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def request_may_write() -> bool:
    """True inside a request whose method may change data, or inside `writing()`."""
    return _writing.get() or (has_request_context() and request.method not in READ_ONLY_METHODS)


def dispose_after_fork() -> None:
    """Forget (without closing) the connections a forked child inherited from its parent."""
    for engine in list(_engines):
        engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=dispose_after_fork)
