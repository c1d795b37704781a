"""Messages for the campaign rules, in the user's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

REFUSALS = {
    "version_locked": _l("Visits were generated with this checklist version; it cannot "
                         "change now. Create a new campaign for another checklist."),
    "branches_have_visits": _l("These branches already have visits and stay in the "
                               "campaign: %(codes)s."),
    "fewer_visits": _l("Some branches already have %(count)s visits; visits per branch "
                       "cannot go below that."),
    "check_in_in_person": _l("A check-in on arrival is for visits in person; this "
                             "checklist is for another channel."),
}


def refusal_message(code: str, params: dict[str, Any]) -> str:
    text = str(REFUSALS[code])
    return text % params if params else text
