"""Log-in and change-password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from audit.auth.messages import password_message
from audit.core.passwords import password_problems
from forms.base import AuditForm


class LoginForm(AuditForm):
    # No syntax check: a wrong address simply fails to log in, with one message for both.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class PasswordPolicy:
    """WTForms validator applying the password policy for the account of `email_of(form)`."""

    def __init__(self, email_of) -> None:
        self.email_of = email_of

    def __call__(self, form, field) -> None:
        problems = password_problems(field.data or "", self.email_of(form))
        if problems:
            raise ValidationError(password_message(problems[0]))


class ChangePasswordForm(AuditForm):
    """The logged-in user's own password; `email` (the account's) is set by the view."""

    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(), PasswordPolicy(lambda form: form.email)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))])
    submit = SubmitField(_l("Change password"))

    def __init__(self, email: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
