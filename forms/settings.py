"""Brand settings: SERVQUAL dimension weights (100 points in all), the critical-fail
policy new checklists start with, and an explicit rescore of stored visit scores."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from audit.labels import CRITICAL_POLICY, DIMENSION
from audit.models.orgs import DIMENSIONS, MAX_SLA_HOURS
from forms.base import AuditForm
from forms.choices import choices


def _weight(dimension: str) -> IntegerField:
    return IntegerField(DIMENSION[dimension], validators=[InputRequired(), NumberRange(0, 100)])


class BrandSettingsForm(AuditForm):
    weight_tangibles = _weight("tangibles")
    weight_reliability = _weight("reliability")
    weight_responsiveness = _weight("responsiveness")
    weight_assurance = _weight("assurance")
    weight_empathy = _weight("empathy")
    critical_policy = SelectField(_l("Critical-fail policy for new checklists"),
                                  choices=choices(CRITICAL_POLICY.items()))
    submit = SubmitField(_l("Save settings"))

    def weight_fields(self):
        return [getattr(self, f"weight_{d}") for d in DIMENSIONS]

    def validate_weight_empathy(self, field):
        values = [f.data for f in self.weight_fields()]
        if None not in values and sum(values) != 100:
            raise ValidationError(_l("The weights must add up to 100 (now %(total)s).",
                                     total=sum(values)))


class PrivacySettingsForm(AuditForm):
    """Data protection: how long visit photos and free text are kept, and whether staff
    names and call recordings may be captured (both off unless the brand has consent)."""

    retention_months = IntegerField(
        _l("Keep photos and free text for (months)"),
        validators=[Optional(), NumberRange(0, 240, _l("Give a number of months from 0 to 240."))],
        description=_l("Older visits keep their scores and answers; their photos, comments "
                       "and notes are removed. 0 or empty keeps them."))
    capture_staff_names = BooleanField(
        _l("Record the name or description of the staff member who served the shopper"),
        description=_l("Only with the staff's consent. When off, shoppers are not asked and "
                       "names recorded earlier are shown to nobody."))
    allow_call_recordings = BooleanField(
        _l("Allow shoppers to record phone calls"),
        description=_l("When off, the phone-call form tells the shopper not to record the "
                       "call. The platform does not store audio files either way."))
    submit = SubmitField(_l("Save data protection settings"))


class RescoreForm(AuditForm):
    campaign = SelectField(_l("Campaign"), coerce=int, validators=[InputRequired()])
    submit = SubmitField(_l("Rescore with the current settings"))


def _hours(label, required: bool, description) -> IntegerField:
    message = _l("Give a whole number of hours from 1 to %(max)s.", max=MAX_SLA_HOURS)
    return IntegerField(label, description=description, validators=[
        InputRequired(message) if required else Optional(),
        NumberRange(1, MAX_SLA_HOURS, message)])


class ServiceLevelsForm(AuditForm):
    """Service levels: how soon a submitted visit should be reviewed, whether an unreviewed
    one is published on its own after some hours, how long a shopper has to fix a return."""

    review_within_hours = _hours(
        _l("Review a submitted visit within (hours)"), True,
        _l("Past this, the brand's quality managers are told, and the review queue shows the "
           "visit as overdue."))
    auto_publish_after_hours = _hours(
        _l("Publish an unreviewed visit automatically after (hours)"), False,
        _l("Empty: never (the default). Visits with a critical fail or any review flag are "
           "never published automatically."))
    resubmit_within_hours = _hours(
        _l("A shopper resubmits a returned visit within (hours)"), True,
        _l("Past this, the visit goes back to review as it stands, with a note."))
    submit = SubmitField(_l("Save service levels"))

    def validate_auto_publish_after_hours(self, field):
        review = self.review_within_hours.data
        if field.data is not None and review is not None and field.data < review:
            raise ValidationError(_l(
                "Publish automatically only after the review deadline: at least %(hours)s "
                "hours.", hours=review))
