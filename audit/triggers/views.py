"""The score-trigger rules page of a brand's settings: the rules, a form to add one, and
pause, resume and remove. Quality managers work on their brand; an admin picks one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
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


def _form(brand: Brand, formdata=None) -> TriggerForm:  # noqa: ANN001 - default request data
    form = TriggerForm() if formdata is None else TriggerForm(formdata=formdata)
    form.set_choices(
        db.session.scalars(
            select(Region).where(Region.brand_id == brand.id).order_by(Region.name)
        ).all()
    )
    return form


def _page(brand: Brand, form: TriggerForm, status: int = 200):
    rules = db.session.scalars(
        access.score_triggers_query(current_user)
        .where(ScoreTrigger.brand_id == brand.id)
        .order_by(ScoreTrigger.id)
    ).all()
    return render_template(
        "settings/triggers.html", rules=rules, form=form, **picker_context(brand)
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
