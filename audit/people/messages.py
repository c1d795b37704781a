"""The account rules' refusals worded in the user's language (the rules stay plain)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from audit.people import operations


def person_message(problem: str) -> str:
    return {
        operations.BAD_EMAIL: _("Enter an e-mail address such as name@example.com."),
        operations.DUPLICATE_EMAIL: _("Another account already uses this e-mail address."),
        operations.NEEDS_BRAND: _("A quality manager needs a brand: choose one."),
        operations.NEEDS_FRANCHISEE: _("A franchise owner needs a franchisee: choose one."),
        operations.SELF_DEACTIVATION: _("You cannot deactivate your own account: another "
                                        "admin can."),
    }[problem]


# What the account page's history calls each audit-log action about a person.
ACTIONS = {
    "create": _l("Account created"),
    "update": _l("Details changed"),
    "deactivated": _l("Deactivated, API tokens revoked"),
    "reactivated": _l("Reactivated"),
    "password_changed": _l("Password changed"),
    "locked": _l("Locked after failed log-ins"),
    "unlocked": _l("Unlocked"),
    "erase": _l("Personal data erased"),
    "export": _l("Personal data exported"),
}
