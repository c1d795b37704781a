"""Brand settings for quality managers: weights, default critical-fail policy, rescoring.
An admin picks the brand with `?brand=` (`audit.orgs.brand_choice`); a manager works on
their own."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.extensions import db
from audit.i18n import tr
from audit.models.campaigns import Campaign
from audit.models.orgs import Brand
from audit.orgs.brand_choice import brand_args, chosen_brand, picker_context
from audit.settings import operations
from audit.vocabulary import DIMENSIONS
from forms.choices import choices
from forms.settings import (
    BrandSettingsForm,
    PrivacySettingsForm,
    RescoreForm,
    ServiceLevelsForm,
)

bp = Blueprint("settings", __name__, url_prefix="/settings")


access.guard(bp, access.can_review)


def _brand_campaigns(brand: Brand):
    return access.campaigns_query(current_user).where(Campaign.brand_id == brand.id)


def _rescore_form(brand: Brand) -> RescoreForm:
    form = RescoreForm(prefix="rescore")
    campaigns = db.session.scalars(
        _brand_campaigns(brand).order_by(Campaign.starts_on.desc())).all()
    form.campaign.choices = choices((c.id, tr(c.name)) for c in campaigns)
    return form


def _page(brand: Brand, form: BrandSettingsForm, rescore: RescoreForm, status: int = 200,
          privacy: PrivacySettingsForm | None = None,
          service: ServiceLevelsForm | None = None):
    privacy = privacy or PrivacySettingsForm(obj=brand, prefix="privacy")
    service = service or ServiceLevelsForm(obj=brand, prefix="sla")
    return render_template("settings/weights.html", form=form, rescore=rescore,
                           privacy=privacy, service=service, **picker_context(brand)), status


@bp.route("/weights", methods=["GET", "POST"])
def weights():
    """Change the weights and policy; stored scores keep what they were computed with."""
    brand = chosen_brand()
    form = BrandSettingsForm(obj=brand)
    if form.validate_on_submit():
        operations.save_settings(
            brand, {d: getattr(form, f"weight_{d}").data for d in DIMENSIONS},
            form.critical_policy.data, current_user)
        flash(_("Settings saved. Visits are rescored with them when their answers change "
                "or when you rescore a campaign."), "info")
        return redirect(url_for("settings.weights", **brand_args(brand)))
    return _page(brand, form, _rescore_form(brand), 422 if form.is_submitted() else 200)


@bp.post("/privacy")
def privacy():
    """Retention, staff names and call recordings; the change is in the audit log."""
    brand = chosen_brand()
    form = PrivacySettingsForm(prefix="privacy")
    if not form.validate_on_submit():
        return _page(brand, BrandSettingsForm(obj=brand), _rescore_form(brand), 422, form)
    operations.save_privacy(brand, form.data, current_user)
    flash(_("Data protection settings saved."), "info")
    return redirect(url_for("settings.weights", _anchor="privacy", **brand_args(brand)))


@bp.post("/service-levels")
def service_levels():
    """Review, automatic publishing and resubmission hours; a refused value changes
    nothing and is shown at its field with what was typed."""
    brand = chosen_brand()
    form = ServiceLevelsForm(prefix="sla")
    if not form.validate_on_submit():
        return _page(brand, BrandSettingsForm(obj=brand), _rescore_form(brand), 422,
                     service=form)
    operations.save_service_levels(brand, form.data, current_user)
    flash(_("Service levels saved."), "info")
    return redirect(url_for("settings.weights", _anchor="service-levels", **brand_args(brand)))


@bp.post("/rescore")
def rescore():
    """Rescore one campaign's stored visits with the brand's current settings."""
    brand = chosen_brand()
    form = _rescore_form(brand)
    if not form.validate_on_submit():
        flash(_("Choose a campaign to rescore."), "error")
        return _page(brand, BrandSettingsForm(obj=brand), form, 422)
    campaign = access.get_in_scope(_brand_campaigns(brand), Campaign, form.campaign.data)
    changed = operations.rescore_campaign(campaign, current_user)
    flash(_("Campaign rescored: %(count)s visits changed score.", count=changed), "info")
    return redirect(url_for("settings.weights", **brand_args(brand)))
