"""The CSV import's error messages in the user's language, keyed by `csv_import` codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from audit.orgs.csv_import import RowError

IMPORT_ERRORS = {
    "too_large": _l("The file is larger than %(max_mb)s MB; split it into several files."),
    "not_utf8": _l("The file is not UTF-8 text. In Excel choose “CSV UTF-8 (comma "
                   "delimited)” when saving."),
    "empty": _l("The file is empty."),
    "malformed": _l("The file is not valid CSV: %(detail)s."),
    "missing_column": _l("The header lacks this required column."),
    "unknown_column": _l("Unknown column. The header must use these names: %(expected)s."),
    "repeated_column": _l("This column appears twice in the header."),
    "no_rows": _l("The file has a header but no branches."),
    "too_many_rows": _l("More than %(max)s rows; split the file."),
    "extra_cells": _l("This row has %(count)s cells but the header has %(expected)s."),
    "required": _l("Required."),
    "too_long": _l("Too long (at most %(max)s characters)."),
    "not_a_number": _l("“%(value)s” is not a number."),
    "out_of_range": _l("“%(value)s” must be between %(low)s and %(high)s."),
    "not_a_boolean": _l("“%(value)s” is not yes or no."),
    "unknown_timezone": _l("Unknown time zone “%(value)s” (e.g. Asia/Ho_Chi_Minh)."),
    "duplicate_code": _l("Code “%(value)s” already appears in row %(first)s."),
}


def import_message(error: RowError) -> str:
    """The message of one import error, in the current language."""
    return str(IMPORT_ERRORS[error.code]) % error.params if error.params else str(
        IMPORT_ERRORS[error.code])
