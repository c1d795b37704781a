"""Log in, log out and choose the interface language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from audit.auth import lockout
from audit.auth.operations import authenticate, change_password
from audit.auth.session import close_session, open_session
from audit.extensions import db
from forms.auth import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


MAX_NEXT = 2000  # longer is no link of ours


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative redirects after log-in: a path of printable
    characters. A CR or LF cannot go into a Location header (a 500), and browsers drop
    tabs and newlines and read a backslash as a slash, so "/\\evil" or "/<tab>/evil" would
    become "//evil", another site."""
    if (target and len(target) <= MAX_NEXT and target.isprintable() and "\\" not in target
            and target.startswith("/") and not target.startswith("//")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME without a request
            open_session(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(lockout.failure_message(), "error")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    close_session()
    flash(_("You are logged out."), "info")
    response = redirect(url_for("auth.login"))
    # A shopper's phone keeps visit forms, answers and photos for offline use; none of it
    # stays behind the person who logged out (a shared phone, a borrowed one).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password_page():
    """The logged-in user changes their own password (the current one is asked again)."""
    form = ChangePasswordForm(current_user.email)
    status = 200
    if form.validate_on_submit():
        if authenticate(current_user.email, form.current_password.data, "password") is None:
            form.current_password.errors.append(_(
                "The current password is not right. After %(attempts)d failed attempts in a "
                "row the account is locked for a while.",
                attempts=current_app.config["LOCKOUT_ATTEMPTS"]))
        else:
            person = current_user._get_current_object()
            change_password(person, form.new_password.data, person)
            open_session(person)  # this browser goes on under the new session key; others end
            flash(_("Your password is changed."), "info")
            return redirect(url_for("web.home"))
    if form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form), status


@bp.post("/language/<lang>")
def set_language(lang: str):
    """Remember the chosen language (on the account when logged in)."""
    if lang in ("vi", "en"):
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
