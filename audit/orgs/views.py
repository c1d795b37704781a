"""Organisation pages for quality managers: branches (list, edit, CSV import), regions and
franchisees. An admin picks the brand with `?brand=`; a manager works on their own."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.ids import parse_id
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.orgs import csv_import, operations, service
from audit.orgs.brand_choice import brand_args, chosen_brand, picker_context
from audit.orgs.messages import import_message
from forms.choices import choices
from forms.orgs import BranchForm, DeleteForm, GroupForm, ImportForm

bp = Blueprint("orgs", __name__, url_prefix="/branches")
GROUPS = {"regions": Region, "franchisees": Franchisee}


access.guard(bp, access.can_manage_orgs)


def _franchisee_filter(value: str) -> int:
    """A franchisee's id, or -1 for the branches the brand runs itself."""
    return -1 if value.strip() == "-1" else parse_id(value)


@bp.get("")
def branches():
    """The brand's branches, filtered and paginated (a brand may have hundreds)."""
    brand = chosen_brand()
    filters = service.BranchFilters(
        region=request.args.get("region", type=parse_id),
        franchisee=request.args.get("franchisee", type=_franchisee_filter),
        active=request.args.get("active", ""), search=request.args.get("q", ""),
        page=request.args.get("page", 1, type=parse_id))
    return render_template(
        "orgs/branches.html", filters=filters,
        result=service.branch_page(current_user, brand, filters),
        regions=service.regions(brand), franchisees=service.franchisees(brand),
        **picker_context(brand))


def _branch_form(brand: Brand, branch: Branch | None) -> BranchForm:
    form = BranchForm(obj=branch)
    form.region.choices = choices((r.id, r.name) for r in service.regions(brand))
    form.franchisee.choices = choices(
        [(0, _("None (run by the brand)"))] + [(f.id, f.name) for f in service.franchisees(brand)])
    if branch is not None and not form.is_submitted():
        form.region.data, form.franchisee.data = branch.region_id, branch.franchisee_id or 0
        form.latitude.data = "" if branch.latitude is None else str(branch.latitude)
        form.longitude.data = "" if branch.longitude is None else str(branch.longitude)
    return form


def _edit(brand: Brand, branch: Branch | None):
    form = _branch_form(brand, branch)
    if form.validate_on_submit():
        try:
            saved = operations.save_branch(brand, branch, form.data_for_save(), current_user)
        except operations.DuplicateCode:
            form.code.errors.append(_("Another branch of this brand has this code."))
        else:
            flash(_("Branch %(code)s saved.", code=saved.code), "info")
            return redirect(url_for("orgs.branches", **brand_args(brand)))
    has_visits = branch is not None and bool(service.visit_counts([branch.id]))
    return render_template(
        "orgs/branch_form.html", form=form, brand=brand, branch=branch, has_visits=has_visits,
        delete_form=DeleteForm(), brand_args=brand_args(brand),
    ), 422 if form.is_submitted() else 200


@bp.route("/new", methods=["GET", "POST"])
def new_branch():
    return _edit(chosen_brand(), None)


@bp.route("/<int:branch_id>", methods=["GET", "POST"])
def edit_branch(branch_id: int):
    branch = access.get_in_scope(access.managed_branches_query(current_user), Branch, branch_id)
    return _edit(branch.brand, branch)


@bp.post("/<int:branch_id>/delete")
def delete_branch(branch_id: int):
    """Delete a branch without visits; one with visits is deactivated instead."""
    branch = access.get_in_scope(access.managed_branches_query(current_user), Branch, branch_id)
    brand = branch.brand
    if not DeleteForm().validate_on_submit():
        abort(400)
    try:
        operations.delete_branch(branch, current_user)
    except operations.HasVisits:
        flash(_("This branch has visits, so it is kept for their history. Untick “Active” "
                "to take it out of new campaigns."), "error")
        return redirect(url_for("orgs.edit_branch", branch_id=branch_id))
    flash(_("Branch deleted."), "info")
    return redirect(url_for("orgs.branches", **brand_args(brand)))


def _groups_page(brand: Brand, forms: dict | None = None, status: int = 200):
    per_region, per_franchisee = service.branch_counts(brand)
    return render_template(
        "orgs/groups.html", brand=brand, regions=service.regions(brand),
        franchisees=service.franchisees(brand), per_region=per_region,
        per_franchisee=per_franchisee, forms=forms or {}, empty=GroupForm(formdata=None),
        brand_args=brand_args(brand)), status


@bp.get("/groups")
def groups():
    """Regions and franchisees of the brand, with their branch counts."""
    return _groups_page(chosen_brand())


@bp.post("/<kind>/<int:row_id>")
def save_group(kind: str, row_id: int):
    """Create (`row_id` 0) or rename a region or franchisee."""
    model = GROUPS.get(kind) or abort(404)
    row = None
    if row_id:
        query = (access.regions_query if model is Region else access.franchisees_query)(
            current_user)
        row = access.get_in_scope(query, model, row_id)
    brand = row.brand if row else chosen_brand()
    form = GroupForm()
    if form.validate_on_submit():
        try:
            operations.save_group(model, brand, row, form.name.data, current_user)
        except operations.DuplicateName:
            form.name.errors.append(_("This name is already used in this brand."))
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("orgs.groups", **brand_args(brand)))
    return _groups_page(brand, {(kind, row_id): form}, 422)


@bp.route("/import", methods=["GET", "POST"])
def import_branches():
    """Check a whole CSV file, then import it in one transaction, or report every error."""
    brand = chosen_brand()
    form = ImportForm()
    errors, status = [], 200
    if form.validate_on_submit():
        parsed = csv_import.parse(form.file.data.read(csv_import.MAX_BYTES + 1))
        if not parsed.errors:
            result = operations.import_branches(brand, parsed.rows, current_user)
            flash(_("Import done: %(created)s branches created, %(updated)s updated, "
                    "%(unchanged)s unchanged; %(regions)s new regions, %(franchisees)s new "
                    "franchisees.", created=result.created, updated=result.updated,
                    unchanged=result.unchanged, regions=result.regions_created,
                    franchisees=result.franchisees_created), "info")
            return redirect(url_for("orgs.branches", **brand_args(brand)))
        errors = [(e, import_message(e)) for e in parsed.errors]
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("orgs/import.html", form=form, brand=brand, errors=errors,
                           columns=csv_import.COLUMNS, max_rows=csv_import.MAX_ROWS,
                           max_mb=csv_import.MAX_BYTES // 1024 // 1024,
                           brand_args=brand_args(brand)), status


@bp.get("/template.csv")
def csv_template():
    return Response(csv_import.template_csv(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=branches-template.csv"})
