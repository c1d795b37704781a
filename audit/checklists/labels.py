"""Translated names of the checklist editor's fixed values (question kinds, factors, KPIs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from audit.labels import keyed
from audit.vocabulary import FACTORS, KINDS, KPIS

KIND = keyed(KINDS, {
    "yes_no": _l("Yes / no"),
    "scale": _l("Scale"),
    "choice": _l("Choice"),
    "number": _l("Number"),
    "text": _l("Text"),
    "photo": _l("Photo"),
    "time": _l("Time"),
    "date": _l("Date"),
})
FACTOR = keyed(FACTORS, {
    "product": _l("Product (price, quality)"),
    "convenience": _l("Convenience (place, hours, access)"),
    "people": _l("People (how staff behave)"),
})
KPI = keyed(KPIS, {
    "nps": _l("NPS"),
    "csat": _l("CSAT"),
    "ces": _l("CES"),
    "fcr": _l("First-contact resolution"),
    "wait_seconds": _l("Wait in seconds"),
})
STATUS = {"draft": _l("Draft"), "published": _l("Published")}
