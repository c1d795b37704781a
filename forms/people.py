"""Forms of the People pages: a new account, an account's details, a password set for
someone, lifting a lockout. Role, brand and franchisee choices are set by the view from
what the acting user may manage, so a forged value is "not a valid choice"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from forms.auth import PasswordPolicy
from forms.base import AuditForm
from forms.choices import choices

LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))  # each named in its own language


def _required(message):
    return DataRequired(message=message)


def _new_password(label, email_of):
    return PasswordField(label, validators=[
        _required(_l("Enter a password.")), PasswordPolicy(email_of)])


def _again():
    return PasswordField(_l("Password again"), validators=[
        _required(_l("Enter the password again.")),
        EqualTo("password", message=_l("The two passwords differ."))])


class _AccountFields(AuditForm):
    name = StringField(_l("Full name"), validators=[
        _required(_l("Enter the person's name.")), Length(max=200)])
    brand = SelectField(_l("Brand"), coerce=int, default=0,
                        description=_l("A quality manager's brand."))
    franchisee = SelectField(_l("Franchisee"), coerce=int, default=0,
                             description=_l("A franchise owner's company."))
    locale = SelectField(_l("Language"), choices=choices(LANGUAGES), default="vi")


class NewPersonForm(_AccountFields):
    email = EmailField(_l("E-mail"), validators=[
        _required(_l("Enter the e-mail address.")), Length(max=254)])
    role = SelectField(_l("Role"))
    password = _new_password(_l("Initial password"), lambda form: form.email.data)
    confirm = _again()
    submit = SubmitField(_l("Create account"))


class EditPersonForm(_AccountFields):
    email = EmailField(_l("E-mail"), validators=[
        _required(_l("Enter the e-mail address.")), Length(max=254)])
    active = BooleanField(_l("Active (may log in)"))
    submit = SubmitField(_l("Save changes"))


class SetPasswordForm(AuditForm):
    """Someone else's new password; `email` (the account's) is set by the view."""

    password = _new_password(_l("New password"), lambda form: form.email)
    confirm = _again()
    submit = SubmitField(_l("Set password"))

    def __init__(self, email: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email


class UnlockForm(AuditForm):
    submit = SubmitField(_l("Unlock now"))
