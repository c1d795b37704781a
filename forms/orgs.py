"""Forms of the organisation pages: a branch, a region or franchisee, the CSV import."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from forms.base import AuditForm


def _coordinate(low: float, high: float):
    def check(form, field):  # noqa: ARG001 - WTForms' signature
        # A partial post keeps the branch's stored float; a full one sends text.
        text = ("" if field.data is None else str(field.data)).strip().replace(",", ".")
        if not text:
            field.number = None
            return
        try:
            field.number = float(text)
        except ValueError:
            raise ValidationError(_l("Enter a number, e.g. 10.7769.")) from None
        if not low <= field.number <= high:
            raise ValidationError(_l("Must be between %(low)s and %(high)s.", low=low,
                                     high=high))
    return check


def _timezone(form, field):  # noqa: ARG001
    if (field.data or "").strip() not in available_timezones():
        raise ValidationError(_l("Unknown time zone; use a name such as Asia/Ho_Chi_Minh."))


class BranchForm(AuditForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Branch name"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region"), coerce=int, validators=[DataRequired()])
    franchisee = SelectField(_l("Franchisee"), coerce=int)
    address = StringField(_l("Address"), validators=[Length(max=500)])
    latitude = StringField(_l("Latitude"), validators=[_coordinate(-90, 90)])
    longitude = StringField(_l("Longitude"), validators=[_coordinate(-180, 180)])
    timezone = StringField(_l("Time zone"), default="Asia/Ho_Chi_Minh",
                           validators=[DataRequired(), _timezone])
    active = BooleanField(_l("Active (receives visits)"), default=True)
    submit = SubmitField(_l("Save branch"))

    def data_for_save(self) -> dict:
        """The validated values as `operations.save_branch` takes them."""
        return {
            "code": self.code.data.strip(), "name": self.name.data.strip(),
            "region_id": self.region.data, "franchisee_id": self.franchisee.data or None,
            "address": (self.address.data or "").strip(),
            "latitude": getattr(self.latitude, "number", None),
            "longitude": getattr(self.longitude, "number", None),
            "timezone": self.timezone.data.strip(), "active": bool(self.active.data),
        }


class GroupForm(AuditForm):
    """A region or a franchisee: only a name."""

    name = StringField(_l("Name of the region or franchisee"),
                       validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class ImportForm(AuditForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    submit = SubmitField(_l("Check and import"))


class DeleteForm(AuditForm):
    submit = SubmitField(_l("Delete branch"))
