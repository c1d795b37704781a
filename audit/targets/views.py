"""Targets page: progress of every target of the brand; create, change, delete. An admin
picks the brand with `?brand=` (`audit.orgs.brand_choice`); a manager works on their own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit import access
from audit.extensions import db
from audit.ids import parse_id
from audit.models.orgs import Branch, Brand, Region
from audit.models.targets import METRICS, SCOPES, Target
from audit.orgs.brand_choice import brand_args, chosen_brand, picker_context
from audit.targets import operations
from audit.targets.service import targets_progress
from audit.textsort import by_name
from forms.targets import DeleteTargetForm, TargetForm

bp = Blueprint("targets", __name__, url_prefix="/targets")
PER_PAGE = 50
STATUSES = ("met", "not_yet", "missed")


access.guard(bp, access.can_manage_targets)


@bp.get("")
def index():
    """Every target with its current value, campaign, gap and status; filters, pages."""
    brand = chosen_brand()
    rows = targets_progress(current_user, brand)
    status, scope, metric = (request.args.get(k, "") for k in ("status", "scope", "metric"))
    if status in STATUSES:
        rows = [r for r in rows if r.progress.status == status]
    if scope in SCOPES:
        rows = [r for r in rows if r.target.scope == scope]
    if metric in METRICS:
        rows = [r for r in rows if r.target.metric == metric]
    page = max(1, request.args.get("page", 1, type=parse_id))
    pages = max(1, -(-len(rows) // PER_PAGE))
    shown = rows[(page - 1) * PER_PAGE:page * PER_PAGE]
    return render_template("targets/index.html", rows=shown, total=len(rows), page=page,
                           pages=pages, filters={"status": status, "scope": scope,
                                                 "metric": metric},
                           delete_form=DeleteTargetForm(), **picker_context(brand))


def _form(brand: Brand, obj: Target | None = None) -> TargetForm:
    brand_id = brand.id
    regions = by_name(db.session.scalars(select(Region).where(Region.brand_id == brand_id)))
    branches = by_name(db.session.scalars(
        access.branches_query(current_user).where(Branch.brand_id == brand_id)
        .options(selectinload(Branch.region))))
    form = TargetForm(regions=regions, branches=branches)
    if obj is not None and not form.is_submitted():
        form.label.data, form.scope.data, form.metric.data = obj.label, obj.scope, obj.metric
        form.region.data = str(obj.region_id or "")
        form.branch.data = str(obj.branch_id or "")
        form.value.data = f"{obj.value:g}"
        form.due_on.data = obj.due_on.isoformat()
        form.every_branch.data = obj.every_branch
    return form


def _target(target_id: int) -> Target:
    return access.get_in_scope(access.targets_query(current_user), Target, target_id)


def _save(brand: Brand, form: TargetForm, target: Target | None):
    try:
        if target is None:
            operations.create_target(brand, form.data_for_save(), current_user)
        else:
            operations.update_target(target, form.data_for_save(), current_user)
    except operations.OutOfBrand:
        db.session.rollback()
        abort(404)
    flash(_("Target saved."), "info")
    return redirect(url_for("targets.index", **brand_args(brand)))


@bp.route("/new", methods=["GET", "POST"])
def new():
    brand = chosen_brand()
    form = _form(brand)
    if form.validate_on_submit():
        return _save(brand, form, None)
    return render_template("targets/form.html", form=form, target=None,
                           **picker_context(brand)), 422 if form.is_submitted() else 200


@bp.route("/<int:target_id>/edit", methods=["GET", "POST"])
def edit(target_id: int):
    target = _target(target_id)
    form = _form(target.brand, target)
    if form.validate_on_submit():
        return _save(target.brand, form, target)
    return render_template("targets/form.html", form=form, target=target,
                           delete_form=DeleteTargetForm(), **picker_context(target.brand)), (
        422 if form.is_submitted() else 200)


@bp.post("/<int:target_id>/delete")
def delete(target_id: int):
    target = _target(target_id)
    if not DeleteTargetForm().validate_on_submit():
        abort(400)
    back = url_for("targets.index", **brand_args(target.brand))
    operations.delete_target(target, current_user)
    flash(_("Target deleted."), "info")
    return redirect(back)
