"""Checklist pages for quality managers: the list, new checklist, a version (the editor
while it is a draft), publish, new draft, preview, import and export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audit import access
from audit.checklists import files, operations, service
from audit.checklists import labels as checklist_labels
from audit.checklists.blueprint import bp
from audit.checklists.editing import named_problems
from audit.checklists.messages import describe
from audit.checklists.rules import Problem
from audit.extensions import db
from audit.ids import parse_id
from audit.models.checklists import ChecklistVersion
from audit.models.orgs import Brand
from audit.textsort import by_name
from audit.visits.facts import CHANNEL_FACTS
from audit.vocabulary import CHANNELS
from forms.checklists import (
    ActionForm,
    ChecklistSettingsForm,
    ImportForm,
    NewChecklistForm,
    SectionForm,
)
from forms.choices import choices

access.guard(bp, access.can_edit_checklists)


@bp.get("")
def index():
    """The brand's checklists with every version, filterable, 25 a page."""
    search, channel = request.args.get("q", ""), request.args.get("channel", "")
    page = service.index_page(current_user, search, channel if channel in CHANNELS else "",
                              request.args.get("page", 1, type=parse_id))
    return render_template("checklists/index.html", page=page, search=search, channel=channel,
                           draft_of=service.draft_of, action=ActionForm())


def _brand_choices(form) -> None:  # noqa: ANN001 - a form with brand_id
    """Admins pick the brand; a manager works in their own (the field is dropped)."""
    if access.works_across_brands(current_user):
        brands = by_name(db.session.scalars(select(Brand)).all())
        form.brand_id.choices = choices((b.id, b.name) for b in brands)
    else:
        del form.brand_id


def _brand(form) -> Brand:  # noqa: ANN001
    if not access.works_across_brands(current_user):
        return current_user.brand
    brand = db.session.get(Brand, form.brand_id.data) if form.brand_id.data else None
    if brand is None:
        abort(404)
    return brand


@bp.route("/new", methods=["GET", "POST"])
def new():
    """A new checklist: version 1 starts as an empty draft."""
    form = NewChecklistForm()
    _brand_choices(form)
    if request.method == "GET":
        brand = current_user.brand
        form.critical_policy.data = brand.critical_policy if brand else "flag"
        return render_template("checklists/new.html", form=form)
    if form.validate_on_submit():
        try:
            version = operations.create_checklist(_brand(form), form.data_dict(), current_user)
        except operations.Refused as refused:
            form.show(refused.problems)
        else:
            flash(_("Checklist created. Add its sections and questions."), "info")
            return redirect(url_for("checklists.version", version_id=version.id))
    flash(_("Some values are not valid; nothing was saved."), "error")
    return render_template("checklists/new.html", form=form), 422


def version_page(version: ChecklistVersion, status: int = 200, *, settings=None,
                 section_forms=None, new_section=None,
                 general: list[tuple[str, str]] | None = None):
    """A version: the editor while it is a draft, a read-only view once published."""
    doc = service.version_document(version)
    named = named_problems(doc, service.version_problems(version))
    notes: dict[str, list[str]] = {}
    for problem in named:
        place, _sep, rest = problem.path.partition(" › ")
        if not _sep:  # a checklist-level field such as title.en
            place, rest = "", problem.path
        notes.setdefault(place, []).append(f"{rest}: {describe(problem)}" if rest
                                           else describe(problem))
    blocking = pairs([p for p in named_problems(doc, service.version_problems(
        version, publishing=True)) if not p.warning])
    if settings is None:
        settings = ChecklistSettingsForm(prefix="settings")
        settings.fill(version)
    forms = {}
    for section in version.sections:
        form = (section_forms or {}).get(section.id) or SectionForm(
            prefix=f"s{section.id}", data={"code": section.code,
                                           "title_vi": section.title.get("vi", ""),
                                           "title_en": section.title.get("en", "")})
        forms[section.id] = form
    return render_template(
        "checklists/version.html", version=version, checklist=version.checklist,
        draft=service.draft_of(version.checklist), settings=settings, section_forms=forms,
        new_section=new_section or SectionForm(prefix="new"), notes=notes, blocking=blocking,
        general=general or [], action=ActionForm(), in_use=service.version_in_use(version),
        kind_labels=checklist_labels.KIND, factor_labels=checklist_labels.FACTOR,
        kpi_labels=checklist_labels.KPI, condition_label=condition_label,
    ), status


def answer_word(value: object) -> str:
    """A condition value as the user reads it (yes/no for booleans)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def condition_label(condition: dict) -> str:
    return _("if %(code)s = %(values)s", code=condition.get("question"),
             values=" / ".join(answer_word(v) for v in condition.get("values") or ()))


def pairs(problems: list[Problem]) -> list[tuple[str, str]]:
    """(place, message) for the problem lists of the editor and the import page."""
    return [(p.path, describe(p)) for p in problems]


@bp.get("/versions/<int:version_id>")
def version(version_id: int):
    return version_page(access.checklist_version_for(current_user, version_id))


def not_draft(version: ChecklistVersion):
    flash(_("A published version cannot change. Start a new draft to edit it."), "error")
    return version_page(version, 409)


@bp.post("/versions/<int:version_id>/settings")
def settings(version_id: int):
    version = access.checklist_version_for(current_user, version_id)
    form = ChecklistSettingsForm(prefix="settings")
    if form.validate_on_submit():
        try:
            operations.update_settings(version, form.data_dict(), current_user)
        except operations.NotDraft:
            return not_draft(version)
        except operations.Refused as refused:
            form.show(refused.problems)
        else:
            flash(_("Checklist settings saved."), "info")
            return redirect(url_for("checklists.version", version_id=version.id))
    flash(_("Some values are not valid; nothing was saved."), "error")
    return version_page(version, 422, settings=form)


@bp.post("/versions/<int:version_id>/publish")
def publish(version_id: int):
    version = access.checklist_version_for(current_user, version_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.publish(version, current_user)
    except operations.NotDraft:
        return not_draft(version)
    except operations.Refused as refused:
        flash(_("The draft cannot be published yet; fix these problems first."), "error")
        return version_page(version, 422, general=pairs(refused.general))
    flash(_("Version %(number)s is published; it can no longer change.",
            number=version.number), "info")
    return redirect(url_for("checklists.version", version_id=version.id))


@bp.post("/versions/<int:version_id>/delete")
def delete(version_id: int):
    version = access.checklist_version_for(current_user, version_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        remains = operations.delete_draft(version, current_user)
    except operations.NotDraft:
        return not_draft(version)
    except operations.Refused as refused:
        flash(" ".join(describe(p) for p in refused.general), "error")
        return version_page(version, 409)
    flash(_("The draft was deleted."), "info")
    latest = service.latest_version(remains) if remains else None
    if latest is not None:
        return redirect(url_for("checklists.version", version_id=latest.id))
    return redirect(url_for("checklists.index"))


@bp.post("/versions/<int:version_id>/draft")
def start_draft(version_id: int):
    """Editing a published checklist starts a new draft (or opens the one there is)."""
    version = access.checklist_version_for(current_user, version_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        draft = operations.start_draft(version.checklist, current_user)
    except operations.DraftExists as exists:
        flash(_("This checklist already has a draft; here it is."), "info")
        draft = exists.draft
    else:
        flash(_("Draft version %(number)s started as a copy of the latest version.",
                number=draft.number), "info")
    return redirect(url_for("checklists.version", version_id=draft.id))


@bp.get("/versions/<int:version_id>/preview")
def preview(version_id: int):
    """The version as the shopper sees it; nothing can be sent from here."""
    version = access.checklist_version_for(current_user, version_id)
    return render_template("checklists/preview.html", version=version,
                           facts=CHANNEL_FACTS[version.channel], answers={}, errors={},
                           hidden=set(), posted=None, editable=True, show_scores=False)


@bp.get("/versions/<int:version_id>/export")
def export(version_id: int):
    """Download the version in the document format the importer reads."""
    version = access.checklist_version_for(current_user, version_id)
    fmt = request.args.get("format", "yaml")
    if fmt not in files.FORMATS:
        abort(404)
    body = files.dump(service.version_document(version), fmt)
    name = f"{version.checklist.code}-v{version.number}.{fmt}"
    mimetype = "application/json" if fmt == "json" else "application/yaml"
    return body, 200, {"Content-Type": f"{mimetype}; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="{name}"'}


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    """Import a JSON or YAML file as a new draft; every problem listed, nothing half-done."""
    form = ImportForm()
    _brand_choices(form)
    if request.method == "GET":
        return render_template("checklists/import.html", form=form, problems=[])
    if not form.validate_on_submit():
        abort(400)
    upload = form.file.data
    problems: list[Problem] = []
    if upload is None or not upload.filename:
        problems = [Problem("", "file_type")]
    else:
        try:
            data = upload.read(files.MAX_FILE_BYTES + 1)
        finally:
            upload.close()  # a large upload sits in a temporary file
        try:
            doc = files.parse(data, upload.filename)
            version = operations.import_document(_brand(form), doc, current_user)
        except files.DocumentFileError as error:
            problems = [error.problem]
        except operations.Refused as refused:
            problems = refused.general
    if problems:
        flash(_("The file was not imported; nothing was changed."), "error")
        return render_template("checklists/import.html", form=form,
                               problems=pairs(problems)), 422
    flash(_("Imported as draft version %(number)s.", number=version.number), "info")
    return redirect(url_for("checklists.version", version_id=version.id))
