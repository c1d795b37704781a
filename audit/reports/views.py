"""PDF downloads, rendered on request (the report library adds background jobs on top of
the same registered kinds)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required

from audit.reports import comparison_report, registry, visit_report
from audit.reports.visit_report import report_lang

bp = Blueprint("reports_pdf", __name__, url_prefix="/reports")
KINDS = (visit_report.VISIT, comparison_report.COMPARISON)  # imported: registered


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _download(kind: str, params: dict, filename: str) -> Response:
    lang = report_lang(request.args.get("lang"))
    report = registry.get(kind)
    data = report.render(current_user, params, lang, lambda _pct: None)
    response = Response(data, mimetype=report.media_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filename}-{lang}.{report.extension}"')
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/visits/<int:visit_id>.pdf")
@login_required
def visit_pdf(visit_id: int):
    return _download("visit", {"visit": visit_id}, f"visit-{visit_id}")


@bp.get("/comparison.pdf")
@login_required
def comparison_pdf():
    campaign_id = _int_arg("campaign")
    if campaign_id is None:
        abort(404)
    params = {"campaign": campaign_id, "region": _int_arg("region"),
              "franchisee": _int_arg("franchisee")}
    return _download("comparison", params, f"comparison-{campaign_id}")
