"""The password policy's objections worded in the user's language (the policy stays pure)."""

from __future__ import annotations

from flask_babel import gettext as _

from audit.core import passwords


def password_message(problem: str) -> str:
    return {
        passwords.TOO_SHORT: _("Use at least %(count)d characters; a phrase of a few words is "
                               "easy to remember.", count=passwords.MIN_LENGTH),
        passwords.TOO_LONG: _("Use at most %(count)d characters.", count=passwords.MAX_LENGTH),
        passwords.IS_EMAIL: _("The password must not be your e-mail address."),
        passwords.TOO_COMMON: _("This password is too easy to guess (a common password, a name, "
                                "a keyboard pattern or a repeat). Add a few unrelated words."),
    }[problem]
