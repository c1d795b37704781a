"""Service levels of the review (issue 16): when a submitted visit should be reviewed by,
and how much time is left, as the review queue shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import format_timedelta
from flask_babel import gettext as _

from audit.models.orgs import Brand
from audit.models.visits import Visit


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC moments; PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def review_deadline(visit: Visit, brand: Brand | None = None) -> datetime | None:
    """When the visit should be reviewed by: its submission plus the brand's hours (read
    now, so a changed service level moves every waiting visit's deadline)."""
    if visit.submitted_at is None:
        return None
    brand = brand or visit.campaign.brand
    return aware(visit.submitted_at) + timedelta(hours=brand.review_within_hours)


@dataclass(frozen=True)
class TimeLeft:
    """Whole hours left before a deadline, or past it when `overdue`."""

    hours: int
    overdue: bool

    @classmethod
    def until(cls, deadline: datetime, now: datetime) -> TimeLeft:
        seconds = (aware(deadline) - aware(now)).total_seconds()
        return cls(int(abs(seconds) // 3600), seconds < 0)

    @property
    def text(self) -> str:
        """ "5 hours left", "overdue by 3 days" in the reader's language: hours up to two
        days, then days, then months (Babel's words, so a visit weeks late does not read
        "overdue by 2134 h")."""
        span = format_timedelta(timedelta(hours=self.hours), threshold=2, granularity="hour")
        if self.overdue:
            return _("overdue by %(span)s", span=span) if self.hours else _("overdue by under 1 h")
        return _("%(span)s left", span=span) if self.hours else _("under 1 h left")
