"""The visit report: facts, scores, every answer with its points and the reason of any
reviewer's change, photos and the reviewer's notes, as a PDF in the language asked for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import selectinload

from audit import access
from audit.errors import Forbidden
from audit.i18n import LANGUAGES
from audit.models.auth import User
from audit.models.visits import Answer, Visit
from audit.reports.pdf import render_html, render_pdf
from audit.reports.registry import Progress, ReportKind, register
from audit.storage import storage_for
from audit.visits import staff
from audit.visits.service import answer_edits


def report_lang(lang: str | None) -> str:
    """A supported language; anything else falls back to Vietnamese."""
    return lang if lang in LANGUAGES else LANGUAGES[0]


def visit_context(user: User, visit_id: int) -> dict[str, Any]:
    """What the template needs, after the access checks: shoppers get no reports (their
    own answers are on their visit page); an owner only published visits of their
    branches (the scoped query raises OutOfScope for anything else)."""
    if not access.can_compare(user):
        raise Forbidden
    query = access.visits_query(user).options(
        selectinload(Visit.answers).selectinload(Answer.question), selectinload(Visit.photos))
    visit = access.get_in_scope(query, Visit, visit_id)
    photos: dict[str | None, list] = {}
    for photo in sorted(visit.photos, key=lambda p: p.id):
        photos.setdefault(photo.question.code if photo.question else None, []).append(photo)
    return {
        "visit": visit,
        "answers": {a.question.code: a for a in visit.answers},
        "breakdown": visit.score_record.by_code,
        "photos": photos,
        "show_shopper": access.can_see_shopper(user),
        "facts": staff.visit_facts(visit),
        "edits": answer_edits(visit, named=access.can_see_reviewer(user)),
        "staff_hidden": staff.hidden_staff_codes(visit),
        "report_title": f"{visit.branch.name} · #{visit.id}",
        "report_brand": visit.branch.brand.name,
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
    photos = {p.id: p for p in context["visit"].photos}
    pdf = render_pdf("reports/visit.html", report_lang(lang), cleared_photos=photos,
                     storage=storage_for(current_app), **context)
    progress(100)
    return pdf


VISIT = register(ReportKind("visit", render_visit))
