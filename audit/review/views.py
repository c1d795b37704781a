"""The review queue and the review screen of a submitted visit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from audit import access
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.campaigns import Campaign
from audit.models.visits import Visit
from audit.review import (
    operations,
    service_levels,  # noqa: F401 - registers the tick's review tasks
)
from audit.review.deadlines import TimeLeft, review_deadline
from audit.review.flags import review_flags
from audit.textsort import sort_key
from audit.visits import read_model
from audit.visits.lifecycle import IllegalTransition
from audit.visits.operations import AnswerErrors
from forms.review import ApproveForm, EditAnswerForm, ReturnForm

bp = Blueprint("review", __name__, url_prefix="/review")
SORTS = {
    "submitted": lambda row: row[0].submitted_at,
    "branch": lambda row: sort_key(row[0].branch.name),
    "score": lambda row: (row[0].score_overall is None, row[0].score_overall or 0),
    "flags": lambda row: -len(row[1]),
    "deadline": lambda row: row[2],
}


access.guard(bp, access.can_review)


@bp.get("")
def queue():
    """Submitted visits of the manager's brand with their flags and the time left to
    review each (the brand's service level), sortable."""
    visits = db.session.scalars(
        access.visits_query(current_user).where(Visit.status == "submitted")
        .options(selectinload(Visit.branch), selectinload(Visit.photos),
                 selectinload(Visit.answers), selectinload(Visit.shopper),
                 selectinload(Visit.campaign).selectinload(Campaign.brand),
                 selectinload(Visit.check_in))
    ).all()
    now = utcnow()
    rows = []
    for visit in visits:
        deadline = review_deadline(visit)
        rows.append((visit, review_flags(visit), deadline, TimeLeft.until(deadline, now)))
    sort = request.args.get("sort", "flags")
    rows.sort(key=SORTS.get(sort, SORTS["flags"]))
    return render_template("review/queue.html", rows=rows, sort=sort)


def _visit(visit_id: int) -> Visit:
    return read_model.load(current_user, visit_id)


def _screen(visit: Visit, status: int = 200, edit_errors: dict | None = None,
            edit_form: EditAnswerForm | None = None):
    view = read_model.build(current_user, visit)
    return render_template(
        "review/visit.html", **read_model.page_context(view), edit_errors=edit_errors or {},
        edit_form=edit_form, return_form=ReturnForm(revision=visit.revision),
        approve_form=ApproveForm(revision=visit.revision),
    ), status


@bp.get("/<int:visit_id>")
def visit(visit_id: int):
    return _screen(_visit(visit_id))


@bp.post("/<int:visit_id>/answer")
def edit_answer(visit_id: int):
    visit = _visit(visit_id)
    form = EditAnswerForm()
    if not form.validate_on_submit():
        flash(_("Give the new answer and a reason for the change."), "error")
        return _screen(visit, 422, edit_form=form)
    try:
        operations.edit_answer(visit, form.code.data, form.value.data or None, form.na.data,
                               form.reason.data, current_user, form.revision.data)
    except operations.ReviewConflict:
        return _conflict(visit_id)
    except AnswerErrors as errors:
        db.session.rollback()
        return _screen(visit, 422, errors.errors, edit_form=form)
    flash(_("Answer changed and the visit rescored."), "info")
    return redirect(url_for("review.visit", visit_id=visit_id, _anchor=f"q-{form.code.data}"))


@bp.post("/<int:visit_id>/return")
def return_visit(visit_id: int):
    visit = _visit(visit_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Write what the shopper should fix."), "error")
        return _screen(visit, 422)
    try:
        operations.return_visit(visit, form.comment.data, current_user, form.revision.data)
    except operations.ReviewConflict:
        return _conflict(visit_id)
    except IllegalTransition:
        flash(_("This visit cannot be returned in its current state."), "error")
        return _screen(visit, 409)
    flash(_("The visit was returned to the shopper."), "info")
    return redirect(url_for("review.queue"))


@bp.post("/<int:visit_id>/approve")
def approve(visit_id: int):
    visit = _visit(visit_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.approve(visit, current_user, form.revision.data)
    except operations.ReviewConflict:
        return _conflict(visit_id)
    except IllegalTransition:
        flash(_("This visit cannot be published in its current state."), "error")
        return _screen(visit, 409)
    flash(_("The visit is published."), "info")
    return redirect(url_for("review.queue"))


def _conflict(visit_id: int):
    db.session.rollback()
    flash(_("Someone else changed this visit while you were reviewing it. Here is the "
            "current version; nothing of yours was saved."), "error")
    return _screen(_visit(visit_id), 409)
