"""Forms of the campaign pages: the campaign itself, and assigning shoppers to visits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from forms.base import AuditForm


class CampaignForm(AuditForm):
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    checklist_version = SelectField(_l("Checklist (published version)"), coerce=int,
                                    validators=[InputRequired()])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])
    visits_per_branch = IntegerField(_l("Visits per branch"), default=1,
                                     validators=[InputRequired(), NumberRange(1, 20)])
    scenario_vi = TextAreaField(_l("Scenario brief (Vietnamese)"),
                                validators=[Length(max=5000)])
    scenario_en = TextAreaField(_l("Scenario brief (English)"), validators=[Length(max=5000)])
    allow_claims = BooleanField(_l("Shoppers may claim open visits on the job board"))
    check_in = BooleanField(_l("Ask shoppers to check in on arrival (their phone's location)"))
    check_in_radius_m = IntegerField(
        _l("Check-in radius (metres)"), default=300,
        validators=[Optional(), NumberRange(50, 5000)],
        description=_l("A check-in farther than this from the branch is flagged for the "
                       "reviewer. Owners never see a shopper's location."))
    all_branches = BooleanField(_l("All active branches"))
    regions = SelectMultipleField(_l("Every branch of these regions"), coerce=int,
                                  validators=[Optional()])
    franchisees = SelectMultipleField(_l("Every branch of these franchisees"), coerce=int,
                                      validators=[Optional()])
    branches = SelectMultipleField(_l("Branches"), coerce=int)
    submit = SubmitField(_l("Save campaign"))

    def validate_name_vi(self, field):
        if not (field.data or "").strip() and not (self.name_en.data or "").strip():
            raise ValidationError(_l("Give the campaign a name in at least one language."))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end must not be before the start."))

    def validate_branches(self, field):  # noqa: ARG002
        if not (self.all_branches.data or self.regions.data or self.franchisees.data
                or self.branches.data):
            raise ValidationError(_l("Choose at least one branch."))


class AssignForm(AuditForm):
    """Visits ticked in the campaign's visit table, and the shopper to give them to."""

    visits = SelectMultipleField(_l("Visits"), coerce=int, validate_choice=False)
    shopper = SelectField(_l("Shopper"), coerce=int, validators=[Optional()])
    assign = SubmitField(_l("Assign the ticked visits"))


class ActionForm(AuditForm):
    """A bare post (generate, auto-assign) protected by the CSRF token."""

    submit = SubmitField()
