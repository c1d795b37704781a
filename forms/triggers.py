"""A score-trigger rule: a condition on a visit's scores, whom to tell, the PDF or not."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from audit.labels import DIMENSION, TRIGGER_CONDITION
from audit.vocabulary import TRIGGER_THRESHOLD_CONDITIONS
from forms.base import AuditForm
from forms.choices import choices


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class TriggerForm(AuditForm):
    condition = SelectField(
        _l("When"), choices=choices(TRIGGER_CONDITION.items()), validators=[InputRequired()]
    )
    threshold = DecimalField(
        _l("Under (score 0–100)"),
        places=None,
        validators=[Optional(), NumberRange(0, 100, _l("Give a score from 0 to 100."))],
        description=_l("For the overall score or a dimension under a number."),
    )
    dimension = SelectField(
        _l("Dimension"),
        coerce=lambda v: v or None,
        description=_l("For the dimension conditions: one, or any of the five."),
    )
    region = SelectField(_l("Only for the branches of"), coerce=_optional_id)
    tell_managers = BooleanField(
        _l("Tell the brand's quality managers (when a visit is sent and when it is published)"),
        default=True,
    )
    tell_owners = BooleanField(
        _l(
            "Tell the branch's franchise owners (when the visit is "
            "published; the shopper is never named)"
        )
    )
    attach_pdf = BooleanField(_l("Attach the visit's PDF"))
    submit = SubmitField(_l("Add the rule"))

    def set_choices(self, regions) -> None:
        self.dimension.choices = choices([("", _l("Any dimension")), *DIMENSION.items()])
        self.region.choices = choices(
            [("", _l("Every region")), *((r.id, r.name) for r in regions)]
        )

    def validate(self, extra_validators=None) -> bool:
        """A threshold where the condition needs one (an empty optional field skips its
        own field validators, so the check sits here)."""
        valid = super().validate(extra_validators)
        if (
            self.condition.data in TRIGGER_THRESHOLD_CONDITIONS
            and self.threshold.data is None
            and not self.threshold.errors
        ):
            self.threshold.errors = [
                *self.threshold.errors,
                _l("Give the score under which the rule fires."),
            ]
            valid = False
        return valid

    def validate_tell_owners(self, field):
        if not field.data and not self.tell_managers.data:
            raise ValidationError(_l("Choose whom to tell: the managers, the owners or both."))
