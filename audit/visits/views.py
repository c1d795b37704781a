"""The shopper's visit form (works without JavaScript) and the read-only visit page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit import access
from audit.evidence import operations as evidence
from audit.evidence.pipeline import PhotoRejected
from audit.extensions import db
from audit.models.visits import Visit
from audit.scoring import hidden_codes
from audit.security.headers import PERMISSIONS_POLICY
from audit.visits import operations, read_model, scores, staff
from audit.visits.facts import CHANNEL_FACTS
from audit.visits.lifecycle import IllegalTransition

bp = Blueprint("visits", __name__)


def answers_from_form(visit: Visit, form) -> list[dict]:  # noqa: ANN001 - a MultiDict
    """Every question of the form, as the API's answer items (empty clears)."""
    items = []
    for question in visit.checklist_version.ordered_questions():
        if question.kind == "photo":
            continue
        if form.get(f"na-{question.code}"):
            items.append({"question": question.code, "na": True})
        elif f"q-{question.code}" in form or question.kind in ("yes_no", "scale", "choice"):
            value = form.get(f"q-{question.code}", "").strip()
            items.append({"question": question.code, "value": value or None})
    return items


def facts_from_form(visit: Visit, form) -> dict:  # noqa: ANN001
    return {name: form.get(f"fact-{name}", "") for name, _kind in CHANNEL_FACTS[visit.channel]
            if f"fact-{name}" in form}


def _render(visit: Visit, errors: dict | None = None, posted=None, status: int = 200):
    """The form around the visit's read model: the view says what is shown, the visit
    record only what the form needs (its inputs, the questions a condition hides)."""
    view = read_model.build(current_user, visit)
    hidden = hidden_codes(scores.version_specs(visit.checklist_version),
                          scores.answer_values(visit))
    return render_template(
        "visits/form.html", **read_model.page_context(view), errors=errors or {},
        hidden=hidden, posted=posted, editable=access.can_fill(current_user, visit),
        fact_inputs=staff.shown_facts(visit, CHANNEL_FACTS[visit.channel]),
        recording_notice=visit.channel == "phone" and not visit.branch.brand.allow_call_recordings,
        show_scores=view.scores is not None,
    ), status, permissions_for(visit)


def permissions_for(visit: Visit) -> dict[str, str]:
    """The form may ask for the phone's location only when its campaign wants a check-in."""
    if not visit.campaign.check_in:
        return {}
    return {"Permissions-Policy": PERMISSIONS_POLICY.replace("geolocation=()",
                                                             "geolocation=(self)")}


def _conflict(visit: Visit):
    """Another request changed the visit at the same moment: keep what this one typed."""
    flash(_("Someone else changed this visit at the same moment, so your changes were not "
            "saved. They are still in the form: check them and send again."), "error")
    return _render(visit, None, request.form, 409)


def _stale(visit: Visit) -> bool:
    """The page was opened before the visit's last change (an autosave from this phone or
    another, a photo): its form holds older answers for every question it did not touch."""
    sent = request.form.get("revision", "")
    return sent.isascii() and sent.isdigit() and int(sent) != visit.revision


def _stale_page(visit: Visit):
    """Refuse the stale form rather than write its older answers over newer ones (defect
    25), and show the visit as it is now."""
    flash(_("This visit was changed after you opened this page (answers saved from this "
            "or another device), so this form was not saved. The newest answers are shown: "
            "check them and save again."), "error")
    return _render(visit, status=409)


@bp.get("/visits/<int:visit_id>")
@login_required
def show(visit_id: int):
    return _render(read_model.load(current_user, visit_id))


@bp.post("/visits/<int:visit_id>")
@login_required
def save(visit_id: int):
    """Plain form post: save everything; with action=submit, submit too."""
    visit = read_model.load(current_user, visit_id)
    if not access.can_fill(current_user, visit):
        if visit.status in operations.SENT and request.form.get("action") == "submit":
            if operations.answers_differ(visit, answers_from_form(visit, request.form),
                                         current_user, facts_from_form(visit, request.form)):
                flash(_("This visit was already sent with other answers, so your changes "
                        "were not saved."), "error")
                return _render(visit, None, request.form, 409)
            flash(_("This visit was already sent."), "info")  # a double tap
            return redirect(url_for("web.home"))
        flash(_("This visit is no longer open for changes."), "error")
        return _render(visit, status=409)
    if _stale(visit):
        return _stale_page(visit)
    items, facts = answers_from_form(visit, request.form), facts_from_form(visit, request.form)
    if staff.withhold(visit, items, facts)[2]:
        flash(str(staff.refusal_message()), "info")
    submitting = request.form.get("action") == "submit"
    try:
        if submitting:
            operations.save_and_submit(visit, items, current_user, facts=facts)
        else:
            operations.save_answers(visit, items, current_user, facts=facts)
    except operations.AnswerErrors as error:
        db.session.rollback()
        flash(_("Some answers are not valid; nothing was saved."), "error")
        return _render(visit, error.errors, request.form, 422)
    except operations.VisitConflict:
        return _conflict(visit)
    except operations.MissingAnswers as missing:
        flash(_("Answer the required questions first."), "error")
        errors = {code: _("This question is required.") for code in missing.codes}
        return _render(visit, errors, None, 422)
    except IllegalTransition:
        db.session.rollback()
        flash(_("This visit cannot be submitted in its current state."), "error")
        return _render(visit, status=409)
    if not submitting:
        flash(_("Your answers are saved."), "info")
        return redirect(url_for("visits.show", visit_id=visit.id))
    flash(_("Thank you, your report is sent."), "info")
    return redirect(url_for("web.home"))


@bp.post("/visits/<int:visit_id>/photos")
@login_required
def add_photo(visit_id: int):
    """Plain upload form (the page's script uploads through the API instead)."""
    visit = access.visit_for(current_user, visit_id)
    if not access.can_fill(current_user, visit):
        flash(_("This visit is no longer open for changes."), "error")
        return redirect(url_for("visits.show", visit_id=visit.id))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a photo first."), "error")
        return redirect(url_for("visits.show", visit_id=visit.id, _anchor="photos"))
    try:
        evidence.add_photo(visit, upload.read(), question_code=request.form.get("question"),
                           caption=request.form.get("caption", ""), actor=current_user)
    except PhotoRejected as error:
        flash(evidence.rejection_message(error), "error")
    except evidence.UnknownQuestion:
        flash(_("This question is not in the visit's checklist."), "error")
    except evidence.VisitClosed:
        flash(_("This visit is no longer open for changes."), "error")
    else:
        flash(_("Photo added."), "info")
    return redirect(url_for("visits.show", visit_id=visit.id, _anchor="photos"))


@bp.post("/visits/<int:visit_id>/photos/<int:photo_id>/delete")
@login_required
def delete_photo(visit_id: int, photo_id: int):
    visit = access.visit_for(current_user, visit_id)
    photo = next((p for p in visit.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    if not access.can_fill(current_user, visit):
        flash(_("This visit is no longer open for changes."), "error")
    else:
        try:
            evidence.delete_photo(photo, current_user)
        except evidence.VisitClosed:
            flash(_("This visit is no longer open for changes."), "error")
        else:
            flash(_("Photo deleted."), "info")
    return redirect(url_for("visits.show", visit_id=visit.id, _anchor="photos"))
