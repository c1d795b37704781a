"""The workspace navigation: one list, each entry shown when its page exists and the
user's role may open it, so a feature adds its page without touching the layout."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from audit.models.auth import User

MANAGERS = ("admin", "quality_manager")
ENTRIES = (
    ("portal.home", _l("My branches"), ("franchise_owner",)),
    ("review.queue", _l("Review"), MANAGERS),
    ("disputes.queue", _l("Disputes"), MANAGERS),
    ("comparison.page", _l("Comparison"), (*MANAGERS, "franchise_owner")),
    ("targets.index", _l("Targets"), MANAGERS),
    ("actions.index", _l("Corrective actions"), (*MANAGERS, "franchise_owner")),
    ("reports.library", _l("Reports"), (*MANAGERS, "franchise_owner")),
    ("campaigns.index", _l("Campaigns"), MANAGERS),
    ("checklists.index", _l("Checklists"), MANAGERS),
    ("orgs.branches", _l("Branches"), MANAGERS),
    ("people.index", _l("People"), MANAGERS),  # a manager: their brand's franchise owners
    ("settings.weights", _l("Settings"), MANAGERS),
    ("jobs.board", _l("Job board"), ("shopper",)),
)


def nav_for(user: User) -> list[tuple[str, str]]:
    """(endpoint, label) pairs the user can open, in display order."""
    if not user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles in ENTRIES
            if user.role in roles and endpoint in current_app.view_functions]
