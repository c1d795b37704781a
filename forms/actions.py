"""Forms of the corrective-action pages: raise, edit, change status, comment, add evidence."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from audit.actions.labels import SEVERITY
from forms.base import AuditForm
from forms.choices import choices

NOBODY = 0


class _ActionFields(AuditForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    description = TextAreaField(_l("What should be done"), validators=[Length(max=4000)])
    severity = SelectField(_l("Severity"), choices=choices(SEVERITY.items()),
                           validators=[InputRequired()])
    assignee = SelectField(_l("Assigned to"), coerce=int, default=NOBODY)


class RaiseForm(_ActionFields):
    visit = HiddenField()
    question = HiddenField()
    branch = SelectField(_l("Branch"), coerce=int, validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()],
                       description=_l("Leave empty for the default of the severity: critical "
                                      "7 days, major 14, minor 30."))
    submit = SubmitField(_l("Raise the action"))


class EditForm(_ActionFields):
    due_on = DateField(_l("Due date"), validators=[InputRequired()])
    submit = SubmitField(_l("Save changes"))


class StatusForm(AuditForm):
    # The clicked button's own name and value; not a hidden field, which the page would send
    # empty before the button's value (WTForms reads the first) and every move answered 400.
    target = StringField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=4000)])


class CommentForm(AuditForm):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])
    submit = SubmitField(_l("Add comment"))


class PhotoForm(AuditForm):
    file = FileField(_l("Photo of the fix"), validators=[FileRequired(_l("Choose a photo first."))])
    caption = StringField(_l("Caption"), validators=[Length(max=500)])
    submit = SubmitField(_l("Upload photo"))
