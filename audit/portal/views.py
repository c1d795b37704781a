"""The franchise owner's portal: home, branch and visit pages, and disputing an answer."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.charts import radar, trend
from audit.disputes import operations as disputes
from audit.extensions import db
from audit.i18n import localized
from audit.ids import id_or_none
from audit.labels import DIMENSION
from audit.portal import service
from audit.portal.visits import visit_for_owner, visit_screen
from audit.vocabulary import DIMENSIONS
from forms.portal import DisputeForm

bp = Blueprint("portal", __name__, url_prefix="/portal")
BRANCH_COLOUR, BRAND_COLOUR = "#0b5cad", "#8a5a00"


access.guard(bp, access.can_use_portal)


def _int_arg(name: str) -> int | None:
    return id_or_none(request.args.get(name))


@bp.get("")
def home():
    """Own branches against the brand in the chosen (default: latest) campaign."""
    data = service.summary(current_user, _int_arg("campaign"))
    return render_template("portal/home.html", data=data,
                           branches=service.own_branches(current_user))


@bp.get("/branches/<int:branch_id>")
def branch(branch_id: int):
    """A branch's published visits, its trend and its dimensions against the brand."""
    data = service.branch_page(current_user, branch_id, _int_arg("campaign"))
    charts = {}
    locale = str(get_locale())
    name = data["branch"].name
    if data["trend"]:
        charts["trend"] = trend(
            [localized(t["name"], locale) for t in data["trend"]],
            [(name, [t["branch"] for t in data["trend"]], BRANCH_COLOUR),
             (_("Brand average"), [t["brand"] for t in data["trend"]], BRAND_COLOUR)],
            title=_("Mean score over campaigns"))
    if data["current"]:
        current = data["current"]
        charts["radar"] = radar(
            [str(DIMENSION[d]) for d in DIMENSIONS],
            [(name, [current["branch"]["dimensions"][d]["mean"] for d in DIMENSIONS],
              BRANCH_COLOUR),
             (_("Brand average"), [current["brand_dimensions"][d] for d in DIMENSIONS],
              BRAND_COLOUR)],
            title=_("%(branch)s against the brand average", branch=name))
    return render_template("portal/branch.html", data=data, charts=charts)


def _visit_page(visit_id: int, form: DisputeForm | None = None,
                errors: dict[str, str] | None = None, status: int = 200):
    visit = visit_for_owner(current_user, visit_id)
    return render_template("portal/visit.html", form=form, errors=errors or {},
                           **visit_screen(current_user, visit)), status


@bp.get("/visits/<int:visit_id>")
def visit(visit_id: int):
    """A published visit of an own branch; each answer may be disputed."""
    return _visit_page(visit_id)


@bp.post("/visits/<int:visit_id>/disputes")
def dispute(visit_id: int):
    """Open a dispute; a refusal re-renders the page with the comment kept."""
    found = visit_for_owner(current_user, visit_id)
    form = DisputeForm()
    if not form.validate_on_submit():
        errors = {name: str(messages[0]) for name, messages in form.errors.items()}
        flash(_("Some fields are not valid; nothing was saved."), "error")
        return _visit_page(visit_id, form, errors, 422)
    try:
        disputes.open_dispute(found, form.code.data, form.comment.data, current_user,
                              proposed_value=form.proposed_value.data or None,
                              proposed_na=form.proposed_na.data)
    except disputes.DisputeError as error:
        db.session.rollback()
        flash(error.message(), "error")
        return _visit_page(visit_id, form, error.details or {}, error.status)
    # Said at the question the owner is looking at: a message at the top of the page was
    # off screen on a phone once the page opened at the question (defect 14).
    return redirect(url_for("portal.visit", visit_id=visit_id, disputed=form.code.data,
                            _anchor=f"q-{form.code.data}"))
