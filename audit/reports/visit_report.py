"""The visit report: facts, scores, every answer with its points and the reason of any
reviewer's change, photos and the reviewer's notes, as a PDF in the language asked for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app

from audit import access
from audit.errors import Forbidden
from audit.i18n import LANGUAGES
from audit.models.auth import User
from audit.reports.pdf import render_html, render_pdf
from audit.reports.registry import Progress, ReportKind, register
from audit.storage import storage_for
from audit.visits import read_model


def report_lang(lang: str | None) -> str:
    """A supported language; anything else falls back to Vietnamese."""
    return lang if lang in LANGUAGES else LANGUAGES[0]


def visit_context(user: User, visit_id: int) -> dict[str, Any]:
    """What the template needs, after the access checks: shoppers get no reports (their
    own answers are on their visit page); an owner only published visits of their
    branches (the read model's scoped load raises OutOfScope for anything else)."""
    if not access.can_compare(user):
        raise Forbidden
    visit = read_model.load(user, visit_id)
    view = read_model.build(user, visit)
    return {
        **read_model.page_context(view),
        "cleared_photos": {p.id: p for p in visit.photos},
        "report_title": f"{view.branch.name} · #{view.id}",
        "report_brand": view.branch.brand,
        "generated": datetime.now(UTC),
    }


def visit_html(user: User, visit_id: int, lang: str) -> str:
    """The report's final HTML (for the benchmark and tests)."""
    return render_html("reports/visit.html", report_lang(lang), **visit_context(user, visit_id))


def render_visit(user: User, params: dict[str, Any], lang: str,
                 progress: Progress = lambda _pct: None) -> bytes:
    """The visit PDF; params {"visit": id}."""
    context = visit_context(user, int(params["visit"]))
    progress(30)
    pdf = render_pdf("reports/visit.html", report_lang(lang), storage=storage_for(current_app),
                     **context)
    progress(100)
    return pdf


VISIT = register(ReportKind("visit", render_visit))
