"""Forms of the dispute resolution screen; each carries the visit revision it was opened at."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.review import RevisionForm

REASON_REQUIRED = _l("Give a reason for the decision.")


class AcceptDisputeForm(RevisionForm):
    value = StringField(_l("Corrected answer"), validators=[Length(max=5000)])
    na = BooleanField(_l("Not applicable"))
    reason = TextAreaField(_l("Reason for the change"),
                           validators=[DataRequired(REASON_REQUIRED), Length(max=1000)])
    submit = SubmitField(_l("Accept and change the answer"))


class RejectDisputeForm(RevisionForm):
    reason = TextAreaField(_l("Why the answer stays as it is"),
                           validators=[DataRequired(REASON_REQUIRED), Length(max=1000)])
    submit = SubmitField(_l("Reject the dispute"))
