"""The report library for integrators: request a report (202, then poll its status), list
and read reports, download the file; the visit and comparison PDFs directly; the campaign
exports."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields

from audit import access
from audit.api.errors import Blueprint, api_error
from audit.api.schemas import Id
from audit.ids import MAX_ID
from audit.models.reports import LANGS, STATUSES, Report
from audit.reports import exports, library, operations
from audit.reports.views import send_report

blp = Blueprint("api_reports", __name__, url_prefix="/api/v1/reports",
                description="Report library, PDFs and exports")
PDF = {"200": {"description": "The file", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
SHEETS = {"200": {"description": "XLSX, or the visits and answers CSV files in a zip",
                  "content": {
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                          "schema": {"type": "string", "format": "binary"}},
                      "application/zip": {"schema": {"type": "string", "format": "binary"}}}}}


class VisitReportParams(ma.Schema):
    visit = Id(required=True)


class ComparisonReportParams(ma.Schema):
    campaign = Id(required=True)
    region = Id(allow_none=True, metadata={"description": "one region of the campaign's"})
    franchisee = Id(allow_none=True, metadata={"description": "one franchisee's branches"})


class VisitReportRequest(ma.Schema):
    kind = fields.String(required=True, validate=ma.validate.OneOf(["visit"]))
    params = fields.Nested(VisitReportParams, required=True)
    lang = fields.String(validate=ma.validate.OneOf(LANGS))


class ComparisonReportRequest(ma.Schema):
    kind = fields.String(required=True, validate=ma.validate.OneOf(["comparison"]))
    params = fields.Nested(ComparisonReportParams, required=True)
    lang = fields.String(validate=ma.validate.OneOf(LANGS))


REQUEST_BODY = {"required": True, "content": {"application/json": {"schema": {
    "oneOf": [VisitReportRequest, ComparisonReportRequest]}}}}
PARAMS = {"visit": VisitReportParams, "comparison": ComparisonReportParams}


class ReportRequest(ma.Schema):
    """The body as read: the parameters of a documented kind are checked by that kind's
    schema, so what the document (REQUEST_BODY, one of the two kinds) calls valid is what is
    accepted. An unknown kind is refused by the library, in the caller's language."""

    kind = fields.String(required=True)
    params = fields.Dict(load_default=dict)
    lang = fields.String(validate=ma.validate.OneOf(LANGS))

    @ma.validates_schema
    def _params_of_the_kind(self, data: dict, **_kwargs: object) -> None:
        schema = PARAMS.get(data.get("kind", ""))
        if schema is not None:
            errors = schema().validate(data.get("params") or {})
            if errors:
                raise ma.ValidationError(errors, "params")


class ReportSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    params = fields.Dict()
    lang = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    progress = fields.Integer()
    error = fields.String(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
    requested_by = fields.String()
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    expired_at = fields.DateTime(allow_none=True)
    status_url = fields.String()
    file_url = fields.String(allow_none=True)


class LibraryQuery(ma.Schema):
    page = fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_ID))


class LangQuery(ma.Schema):
    lang = fields.String(validate=ma.validate.OneOf(LANGS))


class ComparisonPdfQuery(LangQuery):
    campaign = Id(required=True)
    region = Id()
    franchisee = Id()


def report_json(report: Report) -> dict:
    done = report.status == "done"
    return {
        "id": report.id, "kind": report.kind, "params": report.params, "lang": report.lang,
        "status": report.shown_status, "progress": report.progress,
        "error": operations.error_message(report) or None, "size_bytes": report.size_bytes,
        "requested_by": report.requested_by.name, "created_at": report.created_at,
        "started_at": report.started_at, "finished_at": report.finished_at,
        "expired_at": report.expired_at,
        "status_url": url_for("api_reports.get_report", report_id=report.id),
        "file_url": url_for("api_reports.report_file", report_id=report.id) if done else None,
    }


def _lang(query: dict) -> str:
    return query.get("lang") or str(get_locale())


def _bad_request(error: operations.BadRequest):
    messages = {"kind": _("This kind of report does not exist."),
                "lang": _("Choose a language."), "params": _("Some values are not valid.")}
    api_error(422, messages[error.field], {error.field: error.field})


@blp.post("")
@blp.arguments(ReportRequest)
@blp.doc(requestBody=REQUEST_BODY)
@blp.response(202, ReportSchema)
@blp.errors(400, 403, 404, 413, 422)
@access.require(access.can_use_reports)
def request_report(body: dict):
    """Queue a report; poll `status_url` until `status` is "done", then fetch `file_url`."""
    try:
        report = operations.request_report(current_user, body["kind"], body["params"],
                                           _lang(body))
    except operations.BadRequest as error:
        _bad_request(error)
    return report_json(report)


@blp.get("")
@blp.arguments(LibraryQuery, location="query")
@blp.response(200, ReportSchema(many=True))
@blp.errors(403, 422)
@access.require(access.can_use_reports)
def list_reports(query: dict):
    """The library in the caller's scope, newest first, 25 a page."""
    page = library.library(current_user, query["page"], str(get_locale()))
    return [report_json(r) for r in page.rows]


@blp.get("/<int:report_id>")
@blp.response(200, ReportSchema)
@blp.errors(403, 404)
def get_report(report_id: int):
    """One report and its progress."""
    operations.requeue_waiting()
    return report_json(access.report_for(current_user, report_id))


@blp.get("/<int:report_id>/file")
@blp.doc(responses=PDF)
@blp.errors(403, 404, 410)
def report_file(report_id: int):
    """The finished report's file (404 until it is done, 410 once it has expired)."""
    report = access.report_for(current_user, report_id)
    if report.status == "expired":
        api_error(410, operations.error_message(report))
    return send_report(report)


def _render(kind: str, params: dict, lang: str):
    try:
        report = operations.render_or_refuse(current_user, kind, params, lang)
    except operations.BadRequest as error:
        _bad_request(error)
    return send_report(report)


@blp.get("/visits/<int:visit_id>.pdf")
@blp.arguments(LangQuery, location="query")
@blp.doc(responses=PDF)
@blp.errors(403, 404, 422)
@access.require(access.can_use_reports)
def visit_pdf(query: dict, visit_id: int):
    """The visit report, rendered now (and kept in the library)."""
    return _render("visit", {"visit": visit_id}, _lang(query))


@blp.get("/comparison.pdf")
@blp.arguments(ComparisonPdfQuery, location="query")
@blp.doc(responses=PDF)
@blp.errors(403, 404, 422)
@access.require(access.can_use_reports)
def comparison_pdf(query: dict):
    """The branch-comparison report for a campaign and a scope, rendered now from the
    current data (and kept in the library); for many branches prefer POST /reports."""
    params = {k: query.get(k) for k in ("campaign", "region", "franchisee")}
    return _render("comparison", params, _lang(query))


@blp.get("/exports/<int:campaign_id>.<any(xlsx, csv):fmt>")
@blp.arguments(LangQuery, location="query")
@blp.doc(responses=SHEETS)
@blp.errors(403, 404, 422)
@access.require(access.can_use_reports)
def export(query: dict, campaign_id: int, fmt: str):
    """A campaign's visits, answers and scores in the caller's scope."""
    return exports.response(current_user, campaign_id, fmt, _lang(query))
