"""Words of the notifications shown to people (pages and e-mails), in both languages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from audit.labels import DELIVERY, NOTICE_KIND

MAIL_STATUS = {
    "none": _l("No e-mail"),
    "queued": _l("Waiting to be sent"),
    "sent": _l("Sent"),
    "logged": _l("Written to the log (no mail server)"),
    "failed": _l("Failed"),
}


def why(kind: str, delivery: str) -> str:
    """The sentence that tells a person why this message reaches them."""
    return _(
        "You receive this because of your setting for “%(kind)s”: %(delivery)s.",
        kind=NOTICE_KIND[kind],
        delivery=DELIVERY[delivery],
    )


def why_digest() -> str:
    return _("You receive this digest because you chose a daily digest for these messages.")
