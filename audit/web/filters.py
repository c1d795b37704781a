"""Jinja filters and globals shared by pages and PDF templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import get_datetime_format
from flask import Flask
from flask_babel import format_date, format_time, get_locale

from audit import access, labels
from audit.i18n import tr
from audit.web.nav import bell_count, nav_for


def score(value: float | None) -> str:
    """Scores display with one decimal; a missing score is a dash, never 0."""
    return "—" if value is None else f"{value:.1f}"


def _parsed(value: Any, kind: type) -> Any:
    """An ISO text a form stored (a date or time answer, a visit fact) as a `kind`; other
    values as they are."""
    if isinstance(value, str):
        try:
            return kind.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def date_text(value: Any) -> str:
    """The one date format of every page and PDF ("7 thg 12, 2026", "Dec 7, 2026"); a
    moment is shown on the reader's clock, a date typed as text as the date it is."""
    value = _parsed(value, date)
    if not value:
        return "—"
    return format_date(value, "medium") if isinstance(value, date) else str(value)


def datetime_text(value: Any, local: bool = False) -> str:
    """`date_text`'s date with the time, in the language's order ("10:02 7 thg 12, 2026",
    "Dec 7, 2026, 10:02 AM"): a stored moment on the reader's clock, or with `local` a
    date-time typed on the branch's clock, its time as typed ("23:30", like the times of
    day a shopper types)."""
    value = _parsed(value, datetime)
    if not value:
        return "—"
    if not isinstance(value, datetime):
        return str(value)
    if local:
        day, clock = format_date(value.date(), "medium"), value.strftime("%H:%M")
    else:
        day, clock = format_date(value, "medium"), format_time(value, "short")
    return get_datetime_format("medium", locale=get_locale()).replace(
        "{1}", day).replace("{0}", clock)


def register_filters(app: Flask) -> None:
    app.add_template_filter(score, "score")
    app.add_template_filter(tr, "tr")
    app.add_template_filter(date_text, "date")
    app.add_template_filter(datetime_text, "datetime")

    @app.context_processor
    def _labels() -> dict[str, Any]:
        return {"labels": labels, "current_locale": str(get_locale()), "nav_for": nav_for,
                "bell_count": bell_count,
                "access": access}
