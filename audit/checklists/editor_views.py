"""The draft editor's sections and questions: add, change, delete, move (plain posts)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.checklists import editing, operations, service
from audit.checklists.blueprint import bp
from audit.checklists.messages import describe, located
from audit.checklists.rules import condition_values
from audit.checklists.views import not_draft, pairs, version_page
from audit.i18n import tr
from audit.models.checklists import ChecklistVersion, Question, Section
from audit.vocabulary import CONDITION_KINDS
from forms.checklists import ActionForm, QuestionForm, SectionForm
from forms.choices import choices


def _back(version: ChecklistVersion, anchor: str | None = None):
    return redirect(url_for("checklists.version", version_id=version.id, _anchor=anchor))


def _refused_flash(refused: operations.Refused) -> None:
    for problem in refused.general:
        flash(located(problem), "error")
    for problem in refused.problems:
        flash(describe(problem), "error")


@bp.post("/versions/<int:version_id>/sections")
def add_section(version_id: int):
    version = access.checklist_version_for(current_user, version_id)
    form = SectionForm(prefix="new")
    return _save_section(version, None, form)


@bp.post("/sections/<int:section_id>")
def edit_section(section_id: int):
    section = access.checklist_section_for(current_user, section_id)
    return _save_section(section.version, section, SectionForm(prefix=f"s{section.id}"))


def _save_section(version: ChecklistVersion, section: Section | None, form: SectionForm):
    if form.validate_on_submit():
        try:
            saved = editing.save_section(version, section, form.data_dict(), current_user)
        except operations.NotDraft:
            return not_draft(version)
        except operations.Refused as refused:
            form.show(refused.problems)
            for problem in refused.general:
                flash(located(problem), "error")
        else:
            flash(_("Section saved."), "info")
            return _back(version, f"section-{saved.id}")
    flash(_("Some values are not valid; nothing was saved."), "error")
    if section is None:
        return version_page(version, 422, new_section=form)
    return version_page(version, 422, section_forms={section.id: form})


def _action(func, record, version: ChecklistVersion, *args):  # noqa: ANN001
    """Run a move or delete; refusals come back as messages on the editor."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        func(record, *args, current_user)
    except operations.NotDraft:
        return not_draft(version)
    except operations.Refused as refused:
        _refused_flash(refused)
        return version_page(version, 409)
    return None


@bp.post("/sections/<int:section_id>/move")
def move_section(section_id: int):
    section = access.checklist_section_for(current_user, section_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    refused = _action(editing.move_section, section, section.version, direction)
    return refused or _back(section.version, f"section-{section.id}")


@bp.post("/sections/<int:section_id>/delete")
def delete_section(section_id: int):
    section = access.checklist_section_for(current_user, section_id)
    version = section.version
    refused = _action(editing.delete_section, section, version)
    if refused:
        return refused
    flash(_("Section deleted."), "info")
    return _back(version)


@bp.post("/questions/<int:question_id>/move")
def move_question(question_id: int):
    question = access.checklist_question_for(current_user, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    refused = _action(editing.move_question, question, question.version, direction)
    return refused or _back(question.version, f"question-{question.id}")


@bp.post("/questions/<int:question_id>/delete")
def delete_question(question_id: int):
    question = access.checklist_question_for(current_user, question_id)
    version = question.version
    refused = _action(editing.delete_question, question, version)
    if refused:
        return refused
    flash(_("Question deleted."), "info")
    return _back(version)


def _earlier(version: ChecklistVersion, section: Section, question: Question | None):
    """Questions a condition may name: those before this one (or before the section's end)."""
    if question is None:
        index = version.sections.index(section)
        result = [q for s in version.sections[:index + 1] for q in s.questions]
    else:
        ordered = version.ordered_questions()
        result = ordered[:ordered.index(question)]
    return [q for q in result if q.kind in CONDITION_KINDS]


def _question_form(version: ChecklistVersion, section: Section, question: Question | None):
    form = QuestionForm()
    form.section.choices = choices((s.id, f"{s.code} · {tr(s.title)}") for s in version.sections)
    earlier = _earlier(version, section, question)
    form.condition_question.choices = choices(
        [("", _("— always shown —"))]
        + [(q.code, f"{q.code} · {tr(q.text)[:60]}") for q in earlier])
    return form, earlier


def _question_page(version, section, question, form, earlier, status=200, general=()):  # noqa: ANN001
    hints = {}
    for q in earlier:
        values = condition_values(service.question_document(q))
        hints[q.code] = (_("yes, no") if q.kind == "yes_no" else _("a number")
                         if values is None else ", ".join(str(v) for v in values))
    return render_template("checklists/question.html", version=version, section=section,
                           question=question, form=form, hints=hints, general=list(general),
                           action=ActionForm()), status


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
def new_question(section_id: int):
    section = access.checklist_section_for(current_user, section_id)
    return _edit_question(section.version, section, None)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(question_id: int):
    question = access.checklist_question_for(current_user, question_id)
    return _edit_question(question.version, question.section, question)


def _edit_question(version: ChecklistVersion, section: Section, question: Question | None):
    if version.published_at is not None:
        return not_draft(version)
    form, earlier = _question_form(version, section, question)
    if request.method == "GET":
        item = service.question_document(question) if question else {}
        form.fill(item, section.id)
        form.pad_options(3 if (item.get("kind") == "choice" or not question) else 2)
        return _question_page(version, section, question, form, earlier)
    general = []
    if form.validate_on_submit():
        target = next((s for s in version.sections if s.id == form.section.data), None)
        if target is None:
            abort(404)
        kinds = {q.code: q.kind for q in version.ordered_questions()}
        try:
            saved = editing.save_question(version, target, question, form.item(kinds),
                                          current_user)
        except operations.NotDraft:
            return not_draft(version)
        except operations.Refused as refused:
            general = pairs(form.show(refused.problems) + refused.general)
        else:
            flash(_("Question %(code)s saved.", code=saved.code), "info")
            return _back(version, f"question-{saved.id}")
    flash(_("Some values are not valid; nothing was saved."), "error")
    form.pad_options(1)
    return _question_page(version, section, question, form, earlier, 422, general)
