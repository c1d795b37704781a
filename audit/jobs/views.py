"""The job board page (phone first) and the claim button."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from audit import access
from audit.jobs import events, operations  # noqa: F401 - events: the tick's task
from forms.campaigns import ActionForm

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
REFUSED = {
    "taken": _l("Another shopper took this visit just before you. Choose another one."),
    "twice_in_a_row": _l("You made the previous visit at this branch; another shopper "
                         "takes this one."),
    "cap": _l("You already hold %(cap)s visits you have not started. Start or finish one "
              "before claiming more."),
}


access.guard(bp, access.can_claim)


@bp.get("")
def board():
    """Open visits a shopper may claim."""
    return render_template("jobs/board.html", board=operations.board(current_user),
                           form=ActionForm())


@bp.post("/<int:visit_id>/claim")
def claim(visit_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        visit = operations.claim(visit_id, current_user)
    except operations.ClaimRefused as refused:
        flash(str(REFUSED[refused.reason]) % {"cap": operations.MAX_OPEN_ASSIGNMENTS}
              if refused.reason == "cap" else str(REFUSED[refused.reason]), "error")
        return redirect(url_for("jobs.board"), 303)
    flash(_("The visit at %(branch)s is yours. It is now in your visits.",
            branch=visit.branch.name), "info")
    return redirect(url_for("visits.show", visit_id=visit.id))
