"""Forms of the review screen; each carries the visit revision it was opened at."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.base import AuditForm


class RevisionForm(AuditForm):
    revision = IntegerField(validators=[InputRequired()])


class EditAnswerForm(RevisionForm):
    code = HiddenField(validators=[DataRequired()])
    value = StringField(_l("New answer"), validators=[Length(max=5000)])
    na = BooleanField(_l("Not applicable"))
    reason = StringField(_l("Reason for the change"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Change answer"))


class ReturnForm(RevisionForm):
    comment = TextAreaField(_l("Comments for the shopper"),
                            validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Return to the shopper"))


class ApproveForm(RevisionForm):
    submit = SubmitField(_l("Approve and publish"))
