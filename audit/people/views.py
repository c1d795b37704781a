"""People pages: the list, a new account, one person's account (details, password,
lockout). An admin manages everyone; a quality manager the franchise owners of their
brand (audit.access.people_query); anyone else gets 403, an id out of scope 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.auth import lockout
from audit.auth.messages import password_message
from audit.auth.operations import change_password
from audit.auth.session import open_session
from audit.core.clock import utcnow
from audit.core.passwords import WeakPasswordError
from audit.extensions import db
from audit.ids import parse_id
from audit.labels import ROLE
from audit.models.auth import User
from audit.models.orgs import Brand, Franchisee
from audit.people import operations, service
from audit.people.messages import ACTIONS, person_message
from forms.choices import choices
from forms.people import EditPersonForm, NewPersonForm, SetPasswordForm, UnlockForm

bp = Blueprint("people", __name__, url_prefix="/people")


access.guard(bp, access.can_manage_people)


@bp.get("")
def index():
    """Everyone the user manages, searched, filtered and paginated."""
    filters = service.PeopleFilters(
        search=request.args.get("q", ""), role=request.args.get("role", ""),
        brand=request.args.get("brand", type=parse_id),
        status=request.args.get("status", ""), page=request.args.get("page", 1, type=parse_id))
    return render_template(
        "people/index.html", filters=filters, result=service.people_page(current_user, filters),
        roles=access.creatable_roles(current_user), brands=service.brands(current_user),
        statuses=service.STATUSES)


def _organisation_choices(form: NewPersonForm | EditPersonForm) -> None:
    """Brands and franchisees the user may give an account; 0 is "none"."""
    none = [(0, "—")]
    form.brand.choices = choices(none + [(b.id, b.name) for b in service.brands(current_user)])
    several = access.works_across_brands(current_user)
    form.franchisee.choices = choices(none + [
        (f.id, f"{f.brand.name} · {f.name}" if several else f.name)
        for f in service.franchisees(current_user)])


def _picked(model: type[Brand] | type[Franchisee], field) -> Brand | Franchisee | None:
    """The brand or franchisee chosen in `field`, if it is one the user may choose."""
    allowed = {value for value, *_ in field.iter_choices()}
    if not isinstance(field.data, int) or not field.data or field.data not in allowed:
        return None
    return db.session.get(model, field.data)


def _apply_error(form, error: operations.PersonError) -> None:
    field = getattr(form, error.field)
    field.errors = [*field.errors, person_message(error.problem)]


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewPersonForm()
    roles = access.creatable_roles(current_user)
    form.role.choices = choices((role, ROLE[role]) for role in roles)
    _organisation_choices(form)
    if form.is_submitted():
        person = operations.NewPerson(
            email=form.email.data or "", name=form.name.data or "", role=form.role.data,
            password=form.password.data or "", locale=form.locale.data,
            brand=_picked(Brand, form.brand), franchisee=_picked(Franchisee, form.franchisee))
        valid = form.validate()
        problems = operations.new_person_problems(person)  # shown with the form's own
        for problem in problems:
            _apply_error(form, problem)
        if valid and not problems:
            try:
                created = operations.create_person(person, current_user)
            except operations.PersonError as error:  # the same address a moment ago
                _apply_error(form, error)
            except WeakPasswordError as weak:
                form.password.errors.append(password_message(weak.problems[0]))
            else:
                flash(_("Account created for %(email)s.", email=created.email), "info")
                return redirect(url_for("people.edit", person_id=created.id))
    return render_template("people/new.html", form=form, roles=roles), \
        422 if form.is_submitted() else 200


def _person_page(person: User, form: EditPersonForm | None = None,
                 password_form: SetPasswordForm | None = None, status: int = 200):
    if form is None:
        form = EditPersonForm(obj=person, formdata=None)
        form.brand.data, form.franchisee.data = person.brand_id or 0, person.franchisee_id or 0
        form.locale.data = person.locale or "vi"
    _organisation_choices(form)
    now = utcnow()
    return render_template(
        "people/person.html", person=person, form=form, now=now,
        password_form=password_form or SetPasswordForm(person.email, formdata=None, prefix="pw"),
        unlock_form=UnlockForm(prefix="unlock"), locked=lockout.is_locked(person, now),
        manageable=access.can_manage_person(current_user, person),
        may_deactivate=access.can_deactivate(current_user, person),
        history=service.history(person), actions=ACTIONS), status


def _manageable(person_id: int) -> User:
    person = access.person_for(current_user, person_id)
    if not access.can_manage_person(current_user, person):
        abort(403)  # in scope but erased: a pseudonym kept for the history
    return person


@bp.route("/<int:person_id>", methods=["GET", "POST"])
def edit(person_id: int):
    person = access.person_for(current_user, person_id)
    if request.method == "GET":
        return _person_page(person)
    person = _manageable(person_id)
    form = EditPersonForm()
    _organisation_choices(form)
    if form.validate_on_submit():
        changes = operations.PersonChanges(
            email=form.email.data, name=form.name.data, locale=form.locale.data,
            # The box is not offered on one's own account: it stays active.
            active=(form.active.data if access.can_deactivate(current_user, person)
                    else person.active),
            brand=_picked(Brand, form.brand), franchisee=_picked(Franchisee, form.franchisee))
        try:
            changed = operations.update_person(person, changes, current_user)
        except operations.PersonError as error:  # refused before anything changed
            _apply_error(form, error)
        else:
            flash(_("Changes saved.") if changed else _("Nothing to change."), "info")
            return redirect(url_for("people.edit", person_id=person.id))
    return _person_page(person, form=form, status=422)


@bp.post("/<int:person_id>/password")
def password(person_id: int):
    """Set a new password for someone (the policy applies): their sessions end and their API
    tokens are revoked. On one's own account this browser stays logged in."""
    person = _manageable(person_id)
    form = SetPasswordForm(person.email, prefix="pw")
    if form.validate_on_submit():
        change_password(person, form.password.data, current_user)
        if person.id == current_user.id:
            open_session(person)  # the new session key; the person's other browsers end
        flash(_("New password set for %(email)s: they are logged out everywhere and their "
                "API tokens are revoked.", email=person.email), "info")
        return redirect(url_for("people.edit", person_id=person.id))
    return _person_page(person, password_form=form, status=422)


@bp.post("/<int:person_id>/unlock")
def unlock(person_id: int):
    """Lift a lockout after failed log-ins before it ends."""
    person = _manageable(person_id)
    if not UnlockForm(prefix="unlock").validate_on_submit():
        abort(400)
    lockout.unlock(person, current_user)
    flash(_("%(email)s can log in again.", email=person.email), "info")
    return redirect(url_for("people.edit", person_id=person.id))
