"""The report library page, requesting a report, its status for the progress indicator,
downloads, and the campaign exports (CSV, XLSX)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit import access
from audit.campaigns.service import latest_with_results
from audit.extensions import db
from audit.ids import parse_id
from audit.models.campaigns import Campaign
from audit.models.reports import LANGS, Report
from audit.reports import exports, kinds, library, operations
from audit.textsort import by_name

kinds.load()
bp = Blueprint("reports", __name__, url_prefix="/reports")
PARAM_FIELDS = ("visit", "campaign", "region", "franchisee")
SYNCHRONOUS = ("visit",)  # one visit renders quickly: in the request, no queue


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """A file size for people: kB under a megabyte, else MB."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(size / 1024, 0.1), '#,##0.#')} kB"
    return f"{format_decimal(size / 1024 / 1024, '#,##0.#')} MB"


def _form_choices() -> dict:
    """Campaigns, regions and franchisees the comparison form offers this user."""
    campaigns = db.session.scalars(access.campaigns_query(current_user)
                                   .order_by(Campaign.starts_on.desc())).all()
    if access.can_manage_orgs(current_user):
        regions = by_name(db.session.scalars(access.regions_query(current_user)))
        franchisees = by_name(db.session.scalars(access.franchisees_query(current_user)))
    else:
        regions, franchisees = [], []
    return {"campaigns": campaigns, "regions": regions, "franchisees": franchisees}


def _page(status: int = 200, errors: dict | None = None, values: dict | None = None):
    data = library.library(current_user, request.args.get("page", 1, type=parse_id),
                           str(get_locale()))
    return render_template("reports/library.html", data=data, errors=errors or {},
                           values=values or {}, langs=LANGS, message=operations.error_message,
                           **_form_choices()), status


@bp.get("", endpoint="library")
@access.require(access.can_use_reports)
def library_page():
    operations.requeue_waiting()
    values = {k: request.args[k] for k in ("campaign",) if k in request.args}
    if "campaign" not in values:  # the latest with results, not an empty newest one
        latest = latest_with_results(current_user)
        values["campaign"] = latest.id if latest else ""
    return _page(values=values)


@bp.post("", endpoint="request")
@access.require(access.can_use_reports)
def request_report():
    """Generate a report: kind + params + lang (a visit's pages post kind=visit)."""
    kind = request.form.get("kind", "")
    lang = request.form.get("lang", str(get_locale()))
    params = {k: request.form[k] for k in PARAM_FIELDS if request.form.get(k)}
    try:
        if kind in SYNCHRONOUS:
            report = operations.render_or_refuse(current_user, kind, params, lang)
        else:
            report = operations.request_report(current_user, kind, params, lang)
    except operations.BadRequest as error:
        messages = {"kind": _("Choose a kind of report."), "lang": _("Choose a language."),
                    "params": _("Choose a campaign.")}
        return _page(422, {error.field: messages[error.field]},
                     {"kind": kind, "lang": lang, **params})
    except operations.ReportNotMade as refused:
        report = refused.report
    if report.status == "failed":
        flash(operations.error_message(report), "error")
    elif report.status == "done":
        flash(_("The report is ready."), "success")
    else:
        flash(_("The report is being generated; it appears below when it is ready."),
              "success")
    return redirect(url_for("reports.library", _anchor=f"report-{report.id}"))


def status_json(report: Report) -> dict:
    """What the progress indicator polls."""
    done = report.status == "done"
    return {"id": report.id, "status": report.shown_status, "progress": report.progress,
            "error": operations.error_message(report) or None,
            "size_bytes": report.size_bytes,
            "download_url": url_for("reports.download", report_id=report.id) if done else None}


@bp.get("/<int:report_id>/status")
@login_required
def status(report_id: int):
    operations.requeue_waiting()
    return jsonify(status_json(access.report_for(current_user, report_id)))


def send_report(report: Report) -> Response:
    """The stored file as an attachment (404 until it is done)."""
    if report.status != "done" or not report.storage_key:
        abort(404)
    response = Response(operations.read_file(report), mimetype=report.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:report_id>/download")
@login_required
def download(report_id: int):
    report = access.report_for(current_user, report_id)
    if report.status == "expired":
        flash(operations.error_message(report), "error")
        return redirect(url_for("reports.library", _anchor=f"report-{report.id}"))
    return send_report(report)


@bp.get("/exports/<int:campaign_id>.<any(xlsx, csv):fmt>")
@access.require(access.can_use_reports)
def export(campaign_id: int, fmt: str):
    """A campaign's visits and answers in the user's scope, as XLSX or zipped CSVs."""
    lang = request.args.get("lang", str(get_locale()))
    return exports.response(current_user, campaign_id, fmt,
                            lang if lang in LANGS else str(get_locale()))
