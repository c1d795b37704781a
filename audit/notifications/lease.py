"""Taking a lease (audit.models.leases): the work called `name` is this process's until the
lease expires. The row is made once (an insert that ignores a conflict), then taken by an
UPDATE whose WHERE only an expired lease passes; the database serialises the two writers,
so of two processes at the same moment exactly one sees its row changed."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from audit.extensions import db
from audit.models.leases import Lease

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def take(name: str, now: datetime, seconds: float) -> bool:
    """True when this process now holds `name` until now + seconds (and commits)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(Lease)
        .values(name=name, holder="", expires_at=NEVER)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    taken = db.session.execute(
        update(Lease)
        .where(Lease.name == name, Lease.expires_at <= now)
        .values(expires_at=now + timedelta(seconds=seconds), holder=holder())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1
