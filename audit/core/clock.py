"""The one clock (timezone-aware UTC) and stored moments read on a branch's local clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use."""
    return datetime.now(UTC)


def local_day(moment: datetime | None, zone: str) -> date | None:
    """The date of a stored (UTC) moment on the branch's clock."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone or DEFAULT_ZONE)).date()


def local_clock(moment: datetime | None, zone: str) -> str:
    """"HH:MM" of a stored (UTC) moment on the branch's clock; "" for none."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone or DEFAULT_ZONE)).strftime("%H:%M")
