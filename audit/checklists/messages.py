"""Checklist problems worded in the user's language (the rules themselves stay pure)."""

from __future__ import annotations

from flask_babel import gettext as _

from audit.checklists.rules import Problem

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _messages() -> dict[str, str]:
    return {
        "unknown_key": _("Unknown key; allowed here: %(allowed)s."),
        "code_missing": _("Give a code."),
        "not_text": _("Give a text."),
        "too_long": _("At most %(limit)s characters."),
        "code_format": _("Use letters, digits, dots, dashes and underscores only, starting "
                         "with a letter or digit."),
        "not_translated": _("Give a text as vi and en."),
        "unknown_language": _("Only the languages vi and en are used."),
        "text_missing": _("Fill in at least one language."),
        "language_missing": _("The %(lang)s text is missing."),
        "not_one_of": _("Use one of: %(allowed)s."),
        "not_mapping": _("Expected a group of keys and values here."),
        "not_list": _("Expected a list here."),
        "not_number": _("Give a number."),
        "negative": _("Points cannot be negative."),
        "not_bool": _("Use true or false."),
        "only_for_kinds": _("Only used by questions of kind: %(kinds)s."),
        "scale_max_missing": _("A scale needs a highest value."),
        "scale_whole": _("A scale runs between whole numbers."),
        "scale_order": _("The highest value must be above the lowest (%(low)s)."),
        "scale_span": _("A scale has at most %(limit)s steps; use a number question for more."),
        "bounds_order": _("The highest value cannot be below the lowest."),
        "band_order": _("The pass band's upper end cannot be below its lower end."),
        "options_missing": _("A choice question needs options."),
        "options_too_few": _("A choice question needs at least two options."),
        "options_too_many": _("At most %(limit)s options."),
        "duplicate": _("The code %(code)s is used twice in this version."),
        "fraction_range": _("The fraction must be a number from 0 to 1."),
        "no_full_option": _("No option earns full points."),
        "condition_not_earlier": _("The condition must name an earlier question of this "
                                   "version; %(code)s is not one."),
        "condition_kind": _("A condition can only use a yes/no, scale, choice or number "
                            "question; %(code)s is not one."),
        "condition_values_missing": _("Give at least one value the condition waits for."),
        "condition_value": _("%(value)s is not an answer of %(code)s (use: %(allowed)s)."),
        "section_empty": _("This section has no questions."),
        "no_questions": _("The checklist has no questions."),
        "code_taken": _("The brand already has a checklist with the code %(code)s."),
        "version_in_use": _("A campaign or a visit uses this version, so it stays."),
        "draft_exists": _("Checklist %(code)s already has a draft (version %(number)s): "
                          "publish or delete it first."),
        "file_type": _("Choose a .json, .yaml or .yml file."),
        "file_too_large": _("The file is larger than %(limit)s KB."),
        "file_empty": _("The file is empty."),
        "file_encoding": _("The file is not UTF-8 text."),
        "json_syntax": _("The JSON is malformed at line %(line)s, column %(column)s."),
        "yaml_syntax": _("The YAML is malformed at line %(line)s, column %(column)s."),
        "yaml_alias": _("YAML aliases (*name) are not accepted (line %(line)s)."),
        "duplicate_key": _("The key %(key)s appears twice in the same place."),
        "file_too_deep": _("The file is nested more than %(limit)s levels deep."),
        "file_number_too_long": _("A number in the file has more than %(limit)s digits."),
        "file_not_a_number": _("%(value)s is not a number a checklist can hold."),
    }


def describe(problem: Problem) -> str:
    """The problem's message without its place."""
    template = _messages().get(problem.key, problem.key)
    params = dict(problem.params)
    if "lang" in params:
        params["lang"] = LANGUAGE_NAMES.get(params["lang"], params["lang"])
    return template % params if params else template


def located(problem: Problem) -> str:
    """`path: message`, as the import page and the publish refusal list them."""
    message = describe(problem)
    return f"{problem.path}: {message}" if problem.path else message
