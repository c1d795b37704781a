"""Corrective-action pages: the list, raising one, and one action's page with its thread,
evidence photos and status changes. Photos are served only after the rights check."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.actions import labels as action_labels
from audit.actions import operations, service
from audit.evidence import operations as evidence
from audit.evidence.pipeline import PhotoRejected
from audit.extensions import db
from audit.ids import id_or_none, parse_id
from audit.models.actions import ActionPhoto, CorrectiveAction
from audit.models.auth import User
from audit.models.orgs import Branch
from audit.storage import storage_for
from forms.actions import NOBODY, CommentForm, EditForm, PhotoForm, RaiseForm, StatusForm
from forms.choices import choices

bp = Blueprint("actions", __name__, url_prefix="/actions")


access.guard(bp, access.can_see_actions)


def _render(template: str, status: int = 200, **context):
    return render_template(template, action_labels=action_labels, today=date.today(),
                           **context), status


@bp.get("")
def index():
    """Actions in the user's scope, filtered, sorted by due date, with counts per status."""
    filters = service.parse_filters(request.args)
    data = service.action_list(current_user, filters, date.today())
    return _render("actions/index.html", filters=filters, data=data,
                   can_raise=access.can_manage_actions(current_user),
                   **service.scope_choices(current_user))


def _assignees(form, branch: Branch) -> None:  # noqa: ANN001 - a form with `assignee`
    people = service.assignee_choices(branch)
    form.assignee.choices = choices([(NOBODY, _("Nobody yet"))]
                                    + [(u.id, u.name) for u in people])


def _assignee(form) -> User | None:  # noqa: ANN001
    """The chosen person, only if they are among the choices offered for this branch."""
    offered = {choice.value for choice in form.assignee.choices}
    if not form.assignee.data or form.assignee.data not in offered:
        return None
    return db.session.get(User, form.assignee.data)


@bp.route("/new", methods=["GET", "POST"])
@access.require(access.can_manage_actions)
def new():
    """Raise an action from a failed answer (?visit=&question=) or for a branch."""
    form = RaiseForm(visit=request.args.get("visit"), question=request.args.get("question"),
                     branch=request.args.get("branch", type=parse_id))
    visit_id = id_or_none(form.visit.data or None)
    visit = access.visit_for(current_user, visit_id) if visit_id is not None else None
    source = None
    if visit is not None:
        branch = visit.branch
        form.branch.choices = choices([(branch.id, branch.name)])
        source = operations.breakdown_row(visit, form.question.data or "")
        question = next((q for q in visit.checklist_version.ordered_questions()
                         if q.code == form.question.data), None)
        source = {"visit": visit, "question": question, "row": source}
    else:
        branches = service.scope_choices(current_user)["branches"]
        form.branch.choices = choices([(b.id, f"{b.name} · {b.region.name}") for b in branches])
        branch = next((b for b in branches if b.id == form.branch.data), None)
        if branch is None and branches and not form.is_submitted():
            branch = branches[0]
    if branch is not None:
        _assignees(form, branch)
    else:
        form.assignee.choices = choices([(NOBODY, _("Nobody yet"))])
    if not form.validate_on_submit():
        return _render("actions/new.html", 422 if form.is_submitted() else 200, form=form,
                       source=source)
    if branch is None:
        abort(404)
    try:
        action = operations.raise_action(
            branch=branch, actor=current_user, severity=form.severity.data,
            title=form.title.data, description=form.description.data, due_on=form.due_on.data,
            assignee=_assignee(form), visit=visit, question_code=form.question.data or None)
    except operations.ActionRefused as refused:
        if refused.existing is not None:
            flash(_("An action was already raised for this answer."), "info")
            return redirect(url_for("actions.detail", action_id=refused.existing.id))
        form.title.errors = [*form.title.errors, _refusal(refused.key)]
        return _render("actions/new.html", 422, form=form, source=source)
    flash(_("Corrective action raised."), "info")
    return redirect(url_for("actions.detail", action_id=action.id))


def _refusal(key: str) -> str:
    return {
        "unknown_question": _("This question is not in the visit's checklist."),
        "not_failed": _("Only an answer that earned less than its full points can raise an "
                        "action."),
        "title_required": _("Give the action a title."),
        "transition": _("This status change is not possible now."),
        "reason_required": _("Say why the fix is rejected."),
        "forbidden": _("You cannot change this action."),
    }[key]


def _action(action_id: int) -> CorrectiveAction:
    return access.action_for(current_user, action_id)


def _detail(action: CorrectiveAction, status: int = 200, **forms):
    edit = forms.pop("edit", None)
    if edit is None:
        edit = EditForm(obj=action, formdata=None)
        # obj= fills `assignee` with the User, which the int select cannot show: the page
        # offered nobody as responsible and saving it cleared the person (defect 2).
        edit.assignee.data = action.assignee_id or NOBODY
    _assignees(edit, action.branch)
    return _render(
        "actions/detail.html", status, action=action, source=service.source_of(action),
        edit_form=edit, comment_form=forms.pop("comment", None) or CommentForm(formdata=None),
        photo_form=forms.pop("photo", None) or PhotoForm(formdata=None),
        status_form=forms.pop("status_form", None) or StatusForm(formdata=None),
        targets=access.action_targets(current_user, action),
        can_manage=access.can_manage_actions(current_user),
        can_work=access.can_work_on_action(current_user, action),
        visit_link=("review.visit" if access.can_review(current_user) else
                    "portal.visit" if access.can_use_portal(current_user) else "visits.show"),
    )


@bp.get("/<int:action_id>")
def detail(action_id: int):
    return _detail(_action(action_id))


@bp.post("/<int:action_id>/status")
def change_status(action_id: int):
    """Move the action on (an owner: to in progress or done; managers also verify)."""
    action = _action(action_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    target = form.target.data
    if target not in access.action_targets(current_user, action):
        if action.can_move(target):
            abort(403)  # allowed by the flow, not for this role
        flash(_refusal("transition"), "error")
        return _detail(action, 409)
    try:
        operations.move(action, target, current_user, form.note.data)
    except operations.ActionRefused as refused:
        form.note.errors = [_refusal(refused.key)]
        return _detail(action, 422, status_form=form)
    flash(_("Status changed to: %(status)s.", status=action_labels.STATUS[target]), "info")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.post("/<int:action_id>/edit")
@access.require(access.can_manage_actions)
def edit(action_id: int):
    """Change severity (and so the owner tier), due date, assignee, title, description."""
    action = _action(action_id)
    form = EditForm()
    _assignees(form, action.branch)
    if not form.validate_on_submit():
        return _detail(action, 422, edit=form)
    operations.update(action, current_user, severity=form.severity.data,
                      due_on=form.due_on.data, assignee=_assignee(form),
                      title=form.title.data.strip(), description=form.description.data.strip())
    flash(_("Changes saved."), "info")
    return redirect(url_for("actions.detail", action_id=action.id))


@bp.post("/<int:action_id>/comments")
def comment(action_id: int):
    action = _action(action_id)
    if not access.can_work_on_action(current_user, action):
        abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        return _detail(action, 422, comment=form)
    operations.add_comment(action, form.text.data, current_user)
    return redirect(url_for("actions.detail", action_id=action.id, _anchor="comments"))


@bp.post("/<int:action_id>/photos")
def add_photo(action_id: int):
    """Plain multipart upload of a photo of the fix; a refused file says why."""
    action = _action(action_id)
    if not access.can_work_on_action(current_user, action):
        abort(403)
    form = PhotoForm()
    if not form.validate_on_submit():
        return _detail(action, 422, photo=form)
    raw = form.file.data.read(current_app.config["MAX_PHOTO_BYTES"] + 1)
    try:
        operations.add_photo(action, raw, form.caption.data, current_user)
    except PhotoRejected as error:
        form.file.errors = [evidence.rejection_message(error)]
        return _detail(action, 422, photo=form)
    flash(_("Photo added."), "info")
    return redirect(url_for("actions.detail", action_id=action.id, _anchor="evidence"))


def _photo(action_id: int, photo_id: int) -> ActionPhoto:
    action = _action(action_id)
    photo = db.session.get(ActionPhoto, photo_id)
    if photo is None or photo.action_id != action.id:
        abort(404)
    if photo.purged_at is not None:
        abort(410)  # the file was deleted under the retention policy
    return photo


@bp.get("/<int:action_id>/photos/<int:photo_id>")
def photo(action_id: int, photo_id: int):
    found = _photo(action_id, photo_id)
    return _send(found, found.storage_key, "full")


@bp.get("/<int:action_id>/photos/<int:photo_id>/thumbnail")
def thumbnail(action_id: int, photo_id: int):
    found = _photo(action_id, photo_id)
    return _send(found, found.thumb_key or found.storage_key, "thumb")


def _send(photo: ActionPhoto, key: str, variant: str) -> Response:
    """Private, cacheable by the viewer only, never sniffed as anything but the image."""
    etag = f"{photo.sha256[:32]}-{variant}"
    response = Response(mimetype=photo.content_type)
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    response.set_data(storage_for(current_app).get(key))
    return response
