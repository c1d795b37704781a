"""The checklist pages' blueprint, shared by `views.py` (checklists and versions) and
`editor_views.py` (the draft's sections and questions): neither view module imports the
other's routes, and the app factory imports both."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checklists", __name__, url_prefix="/checklists")
