"""The score-trigger rules page of a brand's settings: the rules, a form to add one, and
change, pause, resume and remove. Quality managers work on their brand; an admin picks one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audit import access
from audit.extensions import db
from audit.models.orgs import Brand, Region
from audit.models.triggers import ScoreTrigger
from audit.orgs.brand_choice import brand_args, chosen_brand, picker_context
from audit.triggers import operations
from forms.triggers import TriggerForm

bp = Blueprint("triggers", __name__, url_prefix="/settings/triggers")


access.guard(bp, access.can_review)


def _form(brand: Brand, **values) -> TriggerForm:  # noqa: ANN003 - TriggerForm's arguments
    """The rule form with the brand's regions (on a POST, filled from what was sent)."""
    form = TriggerForm(**values)
    form.set_choices(
        db.session.scalars(
            select(Region).where(Region.brand_id == brand.id).order_by(Region.name)
        ).all()
    )
    return form


def _page(brand: Brand, form: TriggerForm, status: int = 200, editing: ScoreTrigger | None = None):
    rules = db.session.scalars(
        access.score_triggers_query(current_user)
        .where(ScoreTrigger.brand_id == brand.id)
        .order_by(ScoreTrigger.id)
    ).all()
    return render_template(
        "settings/triggers.html", rules=rules, form=form, editing=editing,
        **picker_context(brand)
    ), status


@bp.get("")
def rules():
    """The brand's rules and the form to add one."""
    brand = chosen_brand()
    return _page(brand, _form(brand))


@bp.post("")
def add():
    brand = chosen_brand()
    form = _form(brand)
    if not form.validate_on_submit():
        return _page(brand, form, 422)
    operations.add_rule(brand, form.data, current_user)
    flash(_("Rule added."), "info")
    return redirect(url_for("triggers.rules", **brand_args(brand)))


def _rule(brand: Brand, rule_id: int) -> ScoreTrigger:
    query = access.score_triggers_query(current_user).where(ScoreTrigger.brand_id == brand.id)
    return access.get_in_scope(query, ScoreTrigger, rule_id)


@bp.post("/<int:rule_id>/active")
def toggle(rule_id: int):
    """Pause an active rule or resume a paused one."""
    brand = chosen_brand()
    rule = _rule(brand, rule_id)
    operations.set_active(rule, not rule.active, current_user)
    flash(_("Rule resumed.") if rule.active else _("Rule paused."), "info")
    return redirect(url_for("triggers.rules", **brand_args(brand)))


@bp.post("/<int:rule_id>/delete")
def delete(rule_id: int):
    brand = chosen_brand()
    operations.delete_rule(_rule(brand, rule_id), current_user)
    flash(_("Rule removed."), "info")
    return redirect(url_for("triggers.rules", **brand_args(brand)))


def _edit_form(brand: Brand, rule: ScoreTrigger) -> TriggerForm:
    """The rule's form: on a GET filled from the rule, on a POST from what was sent."""
    form = _form(brand) if request.method == "POST" else _form(brand, data={
        "condition": rule.condition, "threshold": rule.threshold,
        "dimension": rule.dimension or "", "region": rule.region_id,
        "tell_managers": rule.tell_managers, "tell_owners": rule.tell_owners,
        "attach_pdf": rule.attach_pdf,
    })
    form.submit.label.text = _("Save the rule")
    return form


@bp.route("/<int:rule_id>/edit", methods=["GET", "POST"])
def edit(rule_id: int):
    """Change a rule in place; a refused value is shown at its field and nothing is lost."""
    brand = chosen_brand()
    rule = _rule(brand, rule_id)
    form = _edit_form(brand, rule)
    if request.method == "GET":
        return _page(brand, form, editing=rule)
    if not form.validate_on_submit():
        return _page(brand, form, 422, editing=rule)
    operations.update_rule(rule, form.data, current_user)
    flash(_("Rule saved."), "info")
    return redirect(url_for("triggers.rules", **brand_args(brand)))
