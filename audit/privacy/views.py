"""Admin pages for one person's data: download the subject-access zip, erase the person."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.extensions import db
from audit.models.auth import User
from audit.privacy import subject

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


access.guard(bp, access.can_handle_personal_data)


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<int:user_id>/export")
def export(user_id: int):
    """Everything held about the person, as a zip (logged)."""
    data = subject.export_person(_person(user_id), current_user)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="person-{user_id}.zip"'})


@bp.post("/users/<int:user_id>/erase")
def erase(user_id: int):
    """Pseudonymise the person once the admin has ticked the confirmation."""
    user = _person(user_id)
    if request.form.get("confirm") != "y":
        flash(_("Tick the box to confirm the erasure."), "error")
    else:
        try:
            summary = subject.erase_person(user, current_user)
        except subject.LastAdmin:
            flash(_("This is the last active admin: make another admin first."), "error")
        else:
            flash(_("Erased: the account is now %(name)s; published scores are unchanged.",
                    name=summary.pseudonym), "info")
    return redirect(url_for("people.edit", person_id=user_id))
