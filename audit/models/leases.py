"""A lease: a named right to do a piece of scheduled work until it expires, so several app
processes (gunicorn workers, machines, a cron line) running the same timer do the work
once per period. Taken by one UPDATE whose WHERE only an expired lease passes: the
database decides, on SQLite as on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from audit.extensions import db


class Lease(db.Model):
    """Who holds the work called `name`, and until when."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[datetime]
