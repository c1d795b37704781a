"""The files that messages attach (issue 16), made when the e-mail is sent and as its
recipient may see them, through the same report code and access rules as a download:

- "visit_pdf" (ref: a visit id): the visit report rendered for the recipient (an owner's
  copy never names the shopper: `visit_report.visit_context` asks `access.can_see_shopper`);
  None when the visit is out of the recipient's scope by then (an owner: not published).
- "comparison_pdf" (ref: a library report id): the stored file when the recipient may
  download that report; for a franchise owner told of a manager's report (which may name
  other franchisees' branches) their own copy, rendered with their rights and so scoped to
  their franchisee, exactly what they would get by asking for it; None otherwise.

Registered at import; `audit.reports.operations` imports this module, so it is in place
wherever reports are (the app, an RQ worker)."""

from __future__ import annotations

import logging

from flask import current_app

from audit import access
from audit.errors import Forbidden, OutOfScope
from audit.extensions import db
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.reports import Report
from audit.notifications import register_attachment
from audit.reports import library, registry
from audit.reports.visit_report import render_visit, report_lang
from audit.storage import storage_for

log = logging.getLogger(__name__)
PDF = "application/pdf"
Made = tuple[str, bytes, str] | None


def visit_pdf(user: User, visit_id: int) -> Made:
    """The visit's PDF as `user` may read it, in their language; None out of scope."""
    if not access.can_compare(user) or not access.may_read_visit(user, visit_id):
        return None
    lang = report_lang(user.locale)
    try:
        data = render_visit(user, {"visit": visit_id}, lang)
    except (OutOfScope, Forbidden):
        return None
    return f"visit-{visit_id}-{lang}.pdf", data, PDF


def _stored(report: Report) -> Made:
    if report.status != "done" or not report.storage_key:
        return None
    data = storage_for(current_app).get(report.storage_key)
    return report.filename or f"comparison-{report.id}.pdf", data, report.media_type


def _owner_copy(owner: User, report: Report) -> Made:
    """The owner's own comparison of the report's campaign, scoped to their franchisee."""
    campaign_id = report.params.get("campaign")
    if not campaign_id or not db.session.scalar(
        access.campaigns_query(owner)
        .where(Campaign.id == campaign_id)
        .with_only_columns(Campaign.id)
    ):
        return None
    lang = report_lang(owner.locale or report.lang)
    params = library.check_scope(owner, "comparison", dict(report.params))
    data = registry.get("comparison").render(owner, params, lang, lambda _pct: None)
    return f"comparison-{campaign_id}-{lang}.pdf", data, PDF


def comparison_pdf(user: User, report_id: int) -> Made:
    """The comparison report's file as `user` may have it (see the module's docstring)."""
    report = db.session.get(Report, report_id)
    if report is None or report.kind != "comparison" or not access.can_use_reports(user):
        return None
    try:
        if db.session.scalar(
            access.reports_query(user).where(Report.id == report_id).with_only_columns(Report.id)
        ):
            return _stored(report)
        if access.scoped_to_own_franchisee(user):
            return _owner_copy(user, report)
    except (OutOfScope, Forbidden):
        return None
    return None


register_attachment("visit_pdf", visit_pdf)
register_attachment("comparison_pdf", comparison_pdf)
