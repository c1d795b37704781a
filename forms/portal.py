"""The owner's dispute of one answer, posted from the portal's visit page."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.base import AuditForm


class DisputeForm(AuditForm):
    """The comment is checked by the dispute service (one message for page and API)."""

    code = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("What is wrong with this answer?"),
                            validators=[Length(max=5000)])
    proposed_value = StringField(_l("The right answer (optional)"),
                                 validators=[Length(max=5000)])
    proposed_na = BooleanField(_l("Not applicable"))
    submit = SubmitField(_l("Dispute this answer"))
