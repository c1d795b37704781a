"""Jinja filters and globals shared by pages and PDF templates."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

from audit import labels
from audit.i18n import localized
from audit.web.nav import nav_for


def score(value: float | None) -> str:
    """Scores display with one decimal; a missing score is a dash, never 0."""
    return "—" if value is None else f"{value:.1f}"


def tr(text: dict[str, str] | None) -> str:
    return localized(text, str(get_locale()))


def register_filters(app: Flask) -> None:
    app.add_template_filter(score, "score")
    app.add_template_filter(tr, "tr")
    app.add_template_filter(lambda d: format_date(d, "medium") if d else "—", "date")
    app.add_template_filter(lambda d: format_datetime(d, "short") if d else "—", "datetime")

    @app.context_processor
    def _labels() -> dict[str, Any]:
        return {"labels": labels, "current_locale": str(get_locale()), "nav_for": nav_for}
