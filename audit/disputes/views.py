"""The managers' dispute queue and the resolution screen (accept or reject)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audit import access
from audit.disputes import operations, service
from audit.extensions import db
from audit.ids import id_or_none
from audit.models.orgs import Region
from audit.textsort import by_name
from audit.visits.operations import AnswerErrors
from audit.vocabulary import DISPUTE_STATUSES
from forms.disputes import AcceptDisputeForm, RejectDisputeForm

bp = Blueprint("disputes", __name__, url_prefix="/disputes")


access.guard(bp, access.can_review)


def _int_arg(name: str) -> int | None:
    return id_or_none(request.args.get(name))


@bp.get("")
def queue():
    """Open disputes of the manager's brand, oldest first; filter by status and region."""
    status = request.args.get("status", "open")
    status = status if status in (*DISPUTE_STATUSES, "all") else "open"
    region_id = _int_arg("region")
    pagination, rows = service.queue(current_user, None if status == "all" else status,
                                     region_id, _int_arg("page") or 1)
    regions = select(Region)
    if current_user.brand_id is not None:
        regions = regions.where(Region.brand_id == current_user.brand_id)
    return render_template("disputes/queue.html", rows=rows, pagination=pagination,
                           status=status, region_id=region_id,
                           regions=by_name(db.session.scalars(regions)))


def _as_text(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "yes_no":
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _prefill(row: service.DisputeRow) -> tuple[str, bool]:
    """The owner's proposal, else the current answer (the manager starts from something)."""
    dispute, kind = row.dispute, row.dispute.question.kind
    if dispute.has_proposal:
        return _as_text(kind, dispute.proposed_value), dispute.proposed_na
    if row.answer is not None:
        return _as_text(kind, row.answer.value), row.answer.na
    return "", False


def _screen(dispute_id: int, status: int = 200, accept: AcceptDisputeForm | None = None,
            reject: RejectDisputeForm | None = None, value_error: str | None = None):
    row, photos, other_photos = service.for_resolution(current_user, dispute_id)
    dispute = row.dispute
    revision = dispute.visit.revision
    if accept is None:
        value, na = _prefill(row)
        accept = AcceptDisputeForm(prefix="accept", revision=revision, value=value, na=na)
    if reject is None:
        reject = RejectDisputeForm(prefix="reject", revision=revision)
    return render_template("disputes/resolve.html", row=row, dispute=dispute,
                           visit=dispute.visit, question=dispute.question, photos=photos,
                           other_photos=other_photos, accept=accept, reject=reject,
                           value_error=value_error), status


@bp.get("/<int:dispute_id>")
def resolve(dispute_id: int):
    return _screen(dispute_id)


@bp.post("/<int:dispute_id>/accept")
def accept(dispute_id: int):
    row, _photos, _other = service.for_resolution(current_user, dispute_id)
    form = AcceptDisputeForm(prefix="accept")
    if not form.validate_on_submit():
        return _screen(dispute_id, 422, accept=form)
    try:
        operations.accept(row.dispute, form.value.data or None, form.na.data, form.reason.data,
                          current_user, form.revision.data)
    except operations.DisputeConflict as conflict:
        return _conflict(dispute_id, conflict)
    except AnswerErrors as errors:
        db.session.rollback()
        return _screen(dispute_id, 422, accept=form,
                       value_error=next(iter(errors.errors.values())))
    flash(_("Dispute accepted: the answer was changed and the visit rescored."), "info")
    return redirect(url_for("disputes.queue"))


@bp.post("/<int:dispute_id>/reject")
def reject(dispute_id: int):
    row, _photos, _other = service.for_resolution(current_user, dispute_id)
    form = RejectDisputeForm(prefix="reject")
    if not form.validate_on_submit():
        return _screen(dispute_id, 422, reject=form)
    try:
        operations.reject(row.dispute, form.reason.data, current_user, form.revision.data)
    except operations.DisputeConflict as conflict:
        return _conflict(dispute_id, conflict)
    flash(_("Dispute rejected; the owner will see your reason."), "info")
    return redirect(url_for("disputes.queue"))


def _conflict(dispute_id: int, conflict: operations.DisputeConflict):
    db.session.rollback()
    flash(conflict.message(), "error")
    return _screen(dispute_id, 409)
