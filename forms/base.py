"""The base of every form: WTForms' own messages ("This field is required.", "Not a valid
choice.") in the user's language.

WTForms ships no Vietnamese catalog, and Flask-WTF looks for these messages only in
WTForms' own catalogs, so a Vietnamese user saw them in English. Our forms take them from
the app's catalog instead, where `_wtforms_texts` below lists them for `make messages` and
the i18n test makes sure each has its Vietnamese.
"""

from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Form


class AppTranslations:
    """WTForms' translations interface over the app's catalog for the current locale.

    Not flask_babel.gettext/ngettext: they %-format the text themselves, and WTForms formats
    its messages after translating them (with `min`, `max`, ... that flask_babel lacks)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = AppTranslations()


class AuditForm(FlaskForm):
    """A page's form (CSRF from Flask-WTF), with messages in the user's language."""

    class Meta:
        def get_translations(self, form: Form) -> AppTranslations:
            return TRANSLATIONS


class AuditSubForm(Form):
    """A form nested in another (FormField, FieldList): no CSRF of its own."""

    class Meta:
        def get_translations(self, form: Form) -> AppTranslations:
            return TRANSLATIONS


def _wtforms_texts() -> None:  # pragma: no cover - never called; read by `make messages`
    from flask_babel import gettext, ngettext

    gettext("Invalid field name '%s'.")
    gettext("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 1)
    gettext("Field must be between %(min)d and %(max)d characters long.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Date must be at least %(min)s.")
    gettext("Date must be at most %(max)s.")
    gettext("Date must be between %(min)s and %(max)s.")
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Invalid email address.")
    gettext("Invalid URL.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid value, can't be any of: %(values)s.")
    gettext("This field cannot be edited.")
    gettext("This field is disabled and cannot have a value.")
    gettext("Invalid CSRF Token.")
    gettext("CSRF token missing.")
    gettext("CSRF failed.")
    gettext("CSRF token expired.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("Not a valid choice.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1)
    gettext("Not a valid datetime value.")
    gettext("Not a valid date value.")
    gettext("Not a valid time value.")
    gettext("Not a valid week value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
