"""Translated names of corrective-action values, for the pages of this feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from audit.labels import keyed
from audit.vocabulary import ACTION_STATUSES

STATUS = keyed(ACTION_STATUSES, {
    "open": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done, awaiting verification"),
    "verified": _l("Verified"),
})
SEVERITY = {
    "minor": _l("Minor"),
    "major": _l("Major"),
    "critical": _l("Critical"),
}
OWNER_TIER = {
    "branch": _l("Branch"),
    "region": _l("Region"),
    "brand": _l("Brand"),
}
# The button that moves an action to a status, by target.
MOVE = {
    "open": _l("Reopen"),
    "in_progress": _l("Start work"),
    "done": _l("Mark as done"),
    "verified": _l("Verify the fix"),
}
REJECT = _l("Reject the fix")  # a manager sends a done action back to in progress
BACK_TO_WORK = _l("Back to in progress")  # the owner does it themselves
