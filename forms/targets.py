"""The target form. Selects are checked here against the manager's own brand, with
messages in the user's language (a forged region or branch id is refused)."""

from __future__ import annotations

import math
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import Length, ValidationError

from audit.labels import METRIC, TARGET_SCOPE
from forms.base import AuditForm
from forms.choices import choices


class TargetForm(AuditForm):
    label = StringField(_l("Label (optional)"), validators=[Length(max=200)])
    scope = SelectField(_l("Applies to"), choices=choices(TARGET_SCOPE.items()),
                        validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    branch = SelectField(_l("Branch"), validate_choice=False)
    metric = SelectField(_l("Measure"), choices=choices(METRIC.items()), validate_choice=False)
    value = StringField(_l("Target value (0–100)"))
    due_on = StringField(_l("Due date"))
    every_branch = BooleanField(_l("Every branch must reach it on its own"))
    submit = SubmitField(_l("Save target"))

    def __init__(self, *args, regions=(), branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region_ids = {str(r.id) for r in regions}
        self.branch_ids = {str(b.id) for b in branches}
        self.region.choices = choices([("", "—"), *((str(r.id), r.name) for r in regions)])
        self.branch.choices = choices(
            [("", "—"), *((str(b.id), f"{b.name} ({b.region.name})") for b in branches)])

    def validate_scope(self, field):
        if field.data not in TARGET_SCOPE:
            raise ValidationError(_l("Choose what the target applies to."))

    def validate_region(self, field):
        if self.scope.data == "region" and field.data not in self.region_ids:
            raise ValidationError(_l("Choose a region of your brand."))

    def validate_branch(self, field):
        if self.scope.data == "branch" and field.data not in self.branch_ids:
            raise ValidationError(_l("Choose a branch of your brand."))

    def validate_metric(self, field):
        if field.data not in METRIC:
            raise ValidationError(_l("Choose a measure from the list."))

    def validate_value(self, field):
        try:
            number = float((field.data or "").strip().replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not 0 <= number <= 100:
            raise ValidationError(_l("Give a number from 0 to 100."))

    def validate_due_on(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the date the target is due."))
        try:
            date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError(_l("Give a date as YYYY-MM-DD.")) from None

    def data_for_save(self) -> dict:
        """The validated fields as the operations take them."""
        scope = self.scope.data
        return {
            "scope": scope,
            "region_id": int(self.region.data) if scope == "region" else None,
            "branch_id": int(self.branch.data) if scope == "branch" else None,
            "metric": self.metric.data,
            "value": float(self.value.data.strip().replace(",", ".")),
            "due_on": date.fromisoformat(self.due_on.data.strip()),
            "label": (self.label.data or "").strip(),
            "every_branch": bool(self.every_branch.data) and scope != "branch",
        }


class DeleteTargetForm(AuditForm):
    submit = SubmitField(_l("Delete target"))
