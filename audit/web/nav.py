"""The workspace navigation: one list, each entry shown when its page exists and the
user may open it (the rule its blueprint is guarded with), so a feature adds its page
without touching the layout."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from audit import access
from audit.models.auth import User
from audit.notifications.service import unread_count

ENTRIES = (
    ("portal.home", _l("My branches"), access.can_use_portal),
    ("review.queue", _l("Review"), access.can_review),
    ("disputes.queue", _l("Disputes"), access.can_review),
    ("comparison.page", _l("Comparison"), access.can_compare),
    ("targets.index", _l("Targets"), access.can_manage_targets),
    ("actions.index", _l("Corrective actions"), access.can_see_actions),
    ("reports.library", _l("Reports"), access.can_use_reports),
    ("campaigns.index", _l("Campaigns"), access.can_manage_orgs),
    ("checklists.index", _l("Checklists"), access.can_edit_checklists),
    ("orgs.branches", _l("Branches"), access.can_manage_orgs),
    ("people.index", _l("People"), access.can_manage_people),  # a manager: their brand's owners
    ("settings.weights", _l("Settings"), access.can_review),
    ("jobs.board", _l("Job board"), access.can_claim),
)


def nav_for(user: User) -> list[tuple[str, str]]:
    """(endpoint, label) pairs the user can open, in display order."""
    if not user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, rule in ENTRIES
            if rule(user) and endpoint in current_app.view_functions]


def bell_count(user: User) -> int:
    """Unread messages under the bell (one COUNT); 0 for a visitor."""
    if not user.is_authenticated:
        return 0
    return unread_count(user)
