"""Forms of the checklist editor. Each form turns its fields into a checklist-document
item (`audit/checklists/rules.py` judges it), and puts the problems back on its fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from audit import labels
from audit.checklists import labels as checklist_labels
from audit.checklists.messages import describe
from audit.checklists.rules import Problem
from forms.base import AuditForm, AuditSubForm
from forms.choices import choices

NONE = [("", _l("— none —"))]
YES = {"yes", "true", "1", "có", "co", "y"}
NO = {"no", "false", "0", "không", "khong", "n"}


class LocalFloatField(StringField):
    """A number typed as 0.5 or 0,5 (Vietnamese writes a decimal comma); empty is None."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = float(self.raw.replace(",", "."))
            except ValueError:
                raise ValueError(_l("Give a number.")) from None

    def _value(self) -> str:
        if getattr(self, "raw", None) is not None:
            return self.raw
        if self.data is None:
            return ""
        return str(int(self.data)) if float(self.data).is_integer() else str(self.data)


def _text_pair(label: Any, area: bool = False, limit: int = 2000):
    field = TextAreaField if area else StringField
    return (field(_l("%(label)s (Vietnamese)", label=label), validators=[Length(max=limit)]),
            field(_l("%(label)s (English)", label=label), validators=[Length(max=limit)]))


def _pair(form: Any, name: str) -> dict[str, str]:
    return {"vi": getattr(form, f"{name}_vi").data or "", "en": getattr(form, f"{name}_en").data
            or ""}


def _fill_pair(form: Any, name: str, text: dict[str, str] | None) -> None:
    getattr(form, f"{name}_vi").data = (text or {}).get("vi", "")
    getattr(form, f"{name}_en").data = (text or {}).get("en", "")


def add_error(field: Any, message: str) -> None:
    field.errors = [*field.errors, message]


class ChecklistSettingsForm(AuditForm):
    """Title, channel, critical-fail policy and description of a checklist version."""

    title_vi, title_en = _text_pair(_l("Title"), limit=300)
    channel = SelectField(_l("Channel"), choices=choices(labels.CHANNEL.items()))
    critical_policy = SelectField(_l("When a critical item fails"),
                                  choices=choices(labels.CRITICAL_POLICY.items()))
    description_vi, description_en = _text_pair(_l("Description"), area=True)

    def data_dict(self) -> dict[str, Any]:
        return {"title": _pair(self, "title"), "description": _pair(self, "description"),
                "channel": self.channel.data, "critical_policy": self.critical_policy.data}

    def fill(self, version: Any) -> None:
        _fill_pair(self, "title", version.checklist.title)
        _fill_pair(self, "description", version.description)
        self.channel.data, self.critical_policy.data = version.channel, version.critical_policy

    def show(self, problems: list[Problem]) -> list[Problem]:
        """Put problems on their fields; returns those with no field."""
        return _show(self, problems, {"title": "title_vi", "description": "description_vi"})


class NewChecklistForm(ChecklistSettingsForm):
    brand_id = SelectField(_l("Brand"), coerce=int, validate_choice=False)
    code = StringField(_l("Code"), validators=[Length(max=80)],
                       description=_l("Letters, digits, dots and dashes, e.g. care-2026."))

    def data_dict(self) -> dict[str, Any]:
        return {**super().data_dict(), "code": self.code.data}


class SectionForm(AuditForm):
    code = StringField(_l("Code"), validators=[Length(max=40)])
    title_vi, title_en = _text_pair(_l("Title"), limit=300)

    def data_dict(self) -> dict[str, Any]:
        return {"code": self.code.data, "title": _pair(self, "title")}

    def show(self, problems: list[Problem]) -> list[Problem]:
        return _show(self, problems, {"title": "title_vi"})


class OptionForm(AuditSubForm):
    value = StringField(_l("Value"), validators=[Length(max=40)])
    label_vi = StringField(_l("Label (Vietnamese)"), validators=[Length(max=300)])
    label_en = StringField(_l("Label (English)"), validators=[Length(max=300)])
    fraction = LocalFloatField(_l("Fraction of the points (0–1)"))

    def blank(self) -> bool:
        return not any((self.value.data, self.label_vi.data, self.label_en.data,
                        self.fraction.raw if hasattr(self.fraction, "raw") else None))


def _number_field(label: Any) -> LocalFloatField:
    return LocalFloatField(label, validators=[Optional()])


class QuestionForm(AuditForm):
    """Every attribute of a question; fields of other kinds are ignored on save."""

    section = SelectField(_l("Section"), coerce=int, validate_choice=False)
    code = StringField(_l("Code"), validators=[Length(max=40)])
    kind = SelectField(_l("Kind"), choices=choices(checklist_labels.KIND.items()))
    text_vi, text_en = _text_pair(_l("Question"), area=True)
    help_vi, help_en = _text_pair(_l("Help for the shopper"), area=True)
    points = _number_field(_l("Points"))
    dimension = SelectField(_l("SERVQUAL dimension"),
                            choices=choices(NONE + list(labels.DIMENSION.items())))
    step = SelectField(_l("Protocol step"))
    factor = SelectField(_l("Satisfaction factor"),
                         choices=choices(NONE + list(checklist_labels.FACTOR.items())))
    kpi = SelectField(_l("KPI"), choices=choices(NONE + list(checklist_labels.KPI.items())))
    critical = BooleanField(_l("Critical item"))
    allow_na = BooleanField(_l("N/A allowed"))
    required = BooleanField(_l("Required"), default=True)
    photo_required = BooleanField(_l("Photo required"))
    no_passes = BooleanField(_l("“No” is the passing answer"))
    min_value = _number_field(_l("Lowest value"))
    max_value = _number_field(_l("Highest value"))
    pass_min = _number_field(_l("Passes from"))
    pass_max = _number_field(_l("Passes up to"))
    options = FieldList(FormField(OptionForm), min_entries=0, max_entries=40)
    condition_question = SelectField(_l("Show only if question"), validate_choice=False)
    condition_values = StringField(
        _l("has one of the answers"), validators=[Length(max=500)],
        description=_l("Separate answers with commas: yes or no for a yes/no question, "
                       "option values for a choice, numbers for a scale or number."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request: "1. Prepare" must be worded in the user's language.
        self.step.choices = choices(NONE + [(k, f"{k}. {v}") for k, v in labels.STEP.items()])

    def fill(self, item: dict[str, Any], section_id: int) -> None:
        """Show a document item (a stored question's, or a new one's defaults)."""
        self.section.data = section_id
        self.code.data, self.kind.data = item.get("code", ""), item.get("kind", "yes_no")
        _fill_pair(self, "text", item.get("text"))
        _fill_pair(self, "help", item.get("help"))
        self.points.data = item.get("points", 1)
        for name in ("dimension", "factor", "kpi"):
            getattr(self, name).data = item.get(name) or ""
        self.step.data = str(item.get("step") or "")
        for name, default in (("critical", False), ("allow_na", False), ("required", True),
                              ("photo_required", False), ("no_passes", False)):
            getattr(self, name).data = item.get(name, default)
        for name in ("min_value", "max_value", "pass_min", "pass_max"):
            getattr(self, name).data = item.get(name)
        condition = item.get("condition") or {}
        self.condition_question.data = condition.get("question", "")
        self.condition_values.data = ", ".join(
            ("yes" if v else "no") if isinstance(v, bool) else str(v)
            for v in condition.get("values", []))
        for option in item.get("options") or []:
            self.options.append_entry()
            entry = self.options.entries[-1]
            entry.value.data = option.get("value", "")
            entry.label_vi.data = (option.get("label") or {}).get("vi", "")
            entry.label_en.data = (option.get("label") or {}).get("en", "")
            entry.fraction.data = option.get("fraction")

    def pad_options(self, blanks: int = 3) -> None:
        for _ in range(blanks):
            self.options.append_entry()

    def item(self, kinds: dict[str, str]) -> dict[str, Any]:
        """The document item; `kinds` maps earlier question codes to their kinds."""
        kind = self.kind.data
        item: dict[str, Any] = {"code": (self.code.data or "").strip(), "kind": kind}
        item["text"] = _trimmed(_pair(self, "text"))
        help_text = _trimmed(_pair(self, "help"))
        if help_text:
            item["help"] = help_text
        item["points"] = 1.0 if self.points.data is None else self.points.data
        for name in ("dimension", "factor", "kpi"):
            if getattr(self, name).data:
                item[name] = getattr(self, name).data
        if self.step.data:
            item["step"] = int(self.step.data)
        for name in ("critical", "allow_na", "required", "photo_required"):
            item[name] = bool(getattr(self, name).data)
        if kind == "yes_no":
            item["no_passes"] = bool(self.no_passes.data)
        if kind in ("scale", "number"):
            for name in ("min_value", "max_value"):
                if getattr(self, name).data is not None:
                    item[name] = getattr(self, name).data
        if kind == "number":
            for name in ("pass_min", "pass_max"):
                if getattr(self, name).data is not None:
                    item[name] = getattr(self, name).data
        if kind == "choice":
            self._kept = [e for e in self.options.entries if not e.form.blank()]
            item["options"] = [{
                "value": (e.value.data or "").strip(),
                "label": _trimmed({"vi": e.label_vi.data or "", "en": e.label_en.data or ""}),
                "fraction": e.fraction.data} for e in self._kept]
        if self.condition_question.data:
            item["condition"] = {"question": self.condition_question.data, "values": [
                _condition_value(v.strip(), kinds.get(self.condition_question.data))
                for v in (self.condition_values.data or "").split(",") if v.strip()]}
        return item

    def show(self, problems: list[Problem]) -> list[Problem]:
        """Put problems on their fields (option rows included)."""
        rest = []
        for problem in problems:
            head, _, tail = problem.path.partition(".")
            if head.startswith("options[") and getattr(self, "_kept", None):
                index = int(head[len("options["):-1])
                entry = self._kept[index] if index < len(self._kept) else None
                name = tail.split(".")[0]
                name = {"label": "label_vi"}.get(name, name)
                if entry is not None and hasattr(entry.form, name):
                    add_error(getattr(entry.form, name), describe(problem))
                    continue
            rest.append(problem)
        return _show(self, rest, {"text": "text_vi", "help": "help_vi", "options": "kind",
                                  "condition": "condition_question"})


def _trimmed(text: dict[str, str]) -> dict[str, str]:
    return {lang: value.strip() for lang, value in text.items() if value.strip()}


def _condition_value(raw: str, kind: str | None) -> Any:
    """Typed as the target question's answers: yes/no as booleans, numbers as numbers."""
    if kind == "yes_no":
        word = raw.lower()
        return True if word in YES else False if word in NO else raw
    if kind in ("scale", "number"):
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return raw
        return int(number) if number.is_integer() else number
    return raw


def _show(form: Any, problems: list[Problem], aliases: dict[str, str]) -> list[Problem]:
    """Attach each problem to the field its path names; return the rest."""
    rest = []
    for problem in problems:
        head = problem.path.split(".")[0].split("[")[0]
        parts = problem.path.split(".")
        name = aliases.get(head, head)
        if head in ("text", "help", "title", "description") and len(parts) > 1:
            name = f"{head}_{parts[1]}"
        if head == "condition" and len(parts) > 1 and parts[1].startswith("values"):
            name = "condition_values"
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors") and name != "options":
            add_error(field, describe(problem))
        else:
            rest.append(problem)
    return rest


class ImportForm(AuditForm):
    brand_id = SelectField(_l("Brand"), coerce=int, validate_choice=False)
    file = FileField(_l("Checklist file (.json, .yaml)"))


class ActionForm(AuditForm):
    """Posts that carry nothing but the CSRF token (move, delete, publish)."""
