"""Campaign pages for quality managers: list, create/edit, generate visits, assign."""

from __future__ import annotations

from datetime import date, timedelta
from operator import itemgetter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.campaigns import operations, service
from audit.campaigns.messages import refusal_message
from audit.i18n import tr
from audit.ids import parse_id
from audit.models.campaigns import Campaign
from audit.models.orgs import Brand
from audit.orgs.brand_choice import brand_args, chosen_brand, picker_context
from audit.textsort import by_name
from forms.campaigns import ActionForm, AssignForm, CampaignForm
from forms.choices import choices

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")


access.guard(bp, access.can_manage_orgs)


def _campaign(campaign_id: int) -> Campaign:
    return access.get_in_scope(access.managed_campaigns_query(current_user), Campaign,
                             campaign_id)


@bp.get("")
def index():
    """The brand's campaigns with their visit counts by status."""
    brand = chosen_brand()
    campaigns, counts = service.campaign_list(current_user, brand)
    return render_template("campaigns/index.html", campaigns=campaigns, counts=counts,
                           **picker_context(brand))


def _form(brand: Brand, campaign: Campaign | None) -> tuple[CampaignForm, list]:
    form = CampaignForm(obj=campaign)
    versions = service.published_versions(brand)
    form.checklist_version.choices = choices(
        (v.id, f"{tr(v.checklist.title)} · v{v.number}") for v in versions)
    branches = service.brand_branches(brand)
    chosen = {b.id for b in campaign.branches} if campaign else set()
    offered = [b for b in branches if b.active or b.id in chosen]
    form.branches.choices = choices((b.id, b.code) for b in offered)
    form.regions.choices = choices(by_name(
        {b.region_id: b.region.name for b in offered}.items(), itemgetter(1)))
    form.franchisees.choices = choices(by_name(
        {b.franchisee_id: b.franchisee.name for b in offered if b.franchisee}.items(),
        itemgetter(1)))
    if campaign is None and not form.is_submitted():
        form.starts_on.data = date.today()
        form.ends_on.data = date.today() + timedelta(days=29)
    if campaign is not None and not form.is_submitted():
        form.name_vi.data, form.name_en.data = campaign.name.get("vi"), campaign.name.get("en")
        form.scenario_vi.data = (campaign.scenario or {}).get("vi")
        form.scenario_en.data = (campaign.scenario or {}).get("en")
        form.checklist_version.data = campaign.checklist_version_id
        form.branches.data = sorted(chosen)
    return form, offered


def _chosen_branch_ids(form: CampaignForm, offered: list) -> list[int]:
    """Ticked branches, plus every branch of the chosen regions and franchisees."""
    ids = set(form.branches.data or [])
    for branch in offered:
        if (form.all_branches.data and branch.active) or branch.region_id in (
                form.regions.data or []) or branch.franchisee_id in (form.franchisees.data or []):
            ids.add(branch.id)
    return sorted(ids)


def _edit(brand: Brand, campaign: Campaign | None):
    form, offered = _form(brand, campaign)
    versions = {v.id: v for v in service.published_versions(brand)}
    problems: list[str] = []
    if form.validate_on_submit():
        data = {
            "name": {"vi": (form.name_vi.data or "").strip(),
                     "en": (form.name_en.data or "").strip()},
            "scenario": {"vi": (form.scenario_vi.data or "").strip(),
                         "en": (form.scenario_en.data or "").strip()},
            "version": versions[form.checklist_version.data],
            "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
            "visits_per_branch": form.visits_per_branch.data,
            "allow_claims": bool(form.allow_claims.data),
            "check_in": bool(form.check_in.data),
            "check_in_radius_m": form.check_in_radius_m.data or 300,
            "branch_ids": _chosen_branch_ids(form, offered),
        }
        try:
            saved = operations.save_campaign(brand, campaign, data, current_user)
        except operations.CampaignRefused as refused:
            problems = [refusal_message(code, params) for code, params in refused.problems]
        else:
            flash(_("Campaign saved."), "info")
            return redirect(url_for("campaigns.show", campaign_id=saved.id))
    regions: dict = {}
    for branch in offered:
        regions.setdefault(branch.region, []).append(branch)
    existing = service.visit_counts_by_branch(campaign) if campaign else {}
    return render_template(
        "campaigns/form.html", form=form, brand=brand, campaign=campaign, problems=problems,
        regions=by_name(regions.items(), lambda item: item[0].name), existing=existing,
        selected=set(form.branches.data or []), brand_args=brand_args(brand),
    ), 422 if form.is_submitted() else 200


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit(chosen_brand(), None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit(campaign_id: int):
    campaign = _campaign(campaign_id)
    return _edit(campaign.brand, campaign)


def _show(campaign: Campaign, status_code: int = 200):
    status = request.args.get("status", "")
    region = request.args.get("region", type=parse_id)
    page = service.campaign_visits(campaign, status, region, request.args.get("page", 1,
                                                                              type=parse_id))
    shoppers = service.shoppers(current_user)
    loads = service.shopper_loads([s.id for s in shoppers])
    form = AssignForm()
    form.shopper.choices = choices(
        [(0, _("Choose a shopper"))] + [(s.id, _("%(name)s (%(count)s open)", name=s.name,
                                                  count=loads[s.id])) for s in shoppers])
    return render_template(
        "campaigns/show.html", campaign=campaign, page=page, status=status, region=region,
        form=form, action=ActionForm(), counts=service.status_counts(campaign),
        missing=operations.missing_visits(campaign),
        regions=by_name({b.region for b in campaign.branches}),
        brand_args=brand_args(campaign.brand)), status_code


@bp.get("/<int:campaign_id>")
def show(campaign_id: int):
    """The campaign's visits, with generating and assigning."""
    return _show(_campaign(campaign_id))


@bp.post("/<int:campaign_id>/generate")
def generate(campaign_id: int):
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    created = operations.generate_visits(campaign, current_user)
    flash(_("Visits created: %(num)s.", num=created)
          if created else _("Every visit already exists; nothing was created."), "info")
    return redirect(url_for("campaigns.show", campaign_id=campaign_id))


def _back(campaign_id: int):
    return redirect(url_for("campaigns.show", campaign_id=campaign_id,
                            **{k: v for k, v in request.args.items() if k in (
                                "status", "region", "page")}))


@bp.post("/<int:campaign_id>/assign")
def assign(campaign_id: int):
    """Give the ticked open visits to the chosen shopper."""
    campaign = _campaign(campaign_id)
    form = AssignForm()
    form.shopper.choices = choices((s.id, s.name) for s in service.shoppers(current_user))
    if not form.validate_on_submit() or not form.shopper.data or not form.visits.data:
        flash(_("Tick at least one visit and choose a shopper."), "error")
        return _show(campaign, 422)
    shopper = next(s for s in service.shoppers(current_user) if s.id == form.shopper.data)
    try:
        result = operations.assign(campaign, form.visits.data, shopper, current_user)
    except operations.AssignmentConflict:
        flash(_("Someone else changed these visits meanwhile; nothing was assigned. "
                "Check the list and try again."), "error")
        return _back(campaign_id)
    flash(_("Visits assigned to %(name)s: %(num)s.", num=len(result.assigned),
            name=shopper.name), "info")
    if result.twice:
        flash(_("Not assigned, because %(name)s made the previous visit at: %(branches)s.",
                name=shopper.name, branches=", ".join(v.branch.code for v in result.twice)),
              "error")
    if result.not_open:
        flash(_("Skipped, because they are no longer open: %(branches)s.",
                branches=", ".join(v.branch.code for v in result.not_open)), "error")
    return _back(campaign_id)


@bp.post("/<int:campaign_id>/unassign")
def unassign(campaign_id: int):
    """Put one assigned visit (the button's value) back to open."""
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    visit_id = request.form.get("unassign", type=parse_id)
    try:
        moved = operations.unassign(campaign, [visit_id] if visit_id else [], current_user)
    except operations.AssignmentConflict:
        moved = 0
    flash(_("The visit is open again.") if moved else
          _("This visit has already started and cannot be unassigned."),
          "info" if moved else "error")
    return _back(campaign_id)


@bp.post("/<int:campaign_id>/auto-assign")
def auto_assign(campaign_id: int):
    """Assign every open visit, balancing the load (see `assignment.plan_assignment`)."""
    campaign = _campaign(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count, left = operations.auto_assign(campaign, service.shoppers(current_user),
                                             current_user)
    except operations.AssignmentConflict:
        flash(_("Someone else changed these visits meanwhile; nothing was assigned. "
                "Check the list and try again."), "error")
        return _back(campaign_id)
    flash(_("Visits assigned automatically: %(num)s.", num=count), "info")
    if left:
        flash(_("Left open, no eligible shopper: %(branches)s.",
                branches=", ".join(sorted({v.branch.code for v in left}))), "error")
    return _back(campaign_id)
