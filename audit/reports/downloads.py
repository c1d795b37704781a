"""PDF downloads from the pages, rendered in the request through the report library (so
they are kept there with their parameters); large reports go through the library's queue."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from audit import access
from audit.ids import id_or_none
from audit.reports import operations, registry
from audit.reports.views import send_report
from audit.reports.visit_report import report_lang

bp = Blueprint("reports_pdf", __name__, url_prefix="/reports")
access.guard(bp, access.can_use_reports)


def _int_arg(name: str) -> int | None:
    return id_or_none(request.args.get(name))


def _download(kind: str, params: dict, filename: str) -> Response:
    """Render now, keep it in the library, send it; out of scope is 404 as everywhere."""
    lang = report_lang(request.args.get("lang"))
    try:
        report = operations.render_or_refuse(current_user, kind, params, lang)
    except operations.BadRequest:
        abort(404)
    response = send_report(report)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filename}-{lang}.{registry.get(kind).extension}"')
    return response


@bp.get("/visits/<int:visit_id>.pdf")
def visit_pdf(visit_id: int):
    return _download("visit", {"visit": visit_id}, f"visit-{visit_id}")


@bp.get("/comparison.pdf")
def comparison_pdf():
    campaign_id = _int_arg("campaign")
    if campaign_id is None:
        abort(404)
    params = {"campaign": campaign_id, "region": _int_arg("region"),
              "franchisee": _int_arg("franchisee")}
    return _download("comparison", params, f"comparison-{campaign_id}")
