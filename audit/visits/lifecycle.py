"""The visit lifecycle (DESIGN.md §3): the only place a visit's status changes.

open -> assigned -> in_progress -> submitted -> approved (published), with
submitted -> returned -> in_progress (or straight back to submitted) for fixes.
Every move is written to the audit log; an illegal move raises.
"""

from __future__ import annotations

from audit.core.clock import utcnow
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.visits import Visit

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"assigned"}),
    "assigned": frozenset({"in_progress", "submitted", "open"}),
    "in_progress": frozenset({"submitted"}),
    "submitted": frozenset({"approved", "returned"}),
    "returned": frozenset({"in_progress", "submitted"}),
    "approved": frozenset(),
}


class IllegalTransition(Exception):
    """A status change the lifecycle does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a visit cannot go from {current} to {target}")
        self.current = current
        self.target = target


def can_move(visit: Visit, target: str) -> bool:
    return target in TRANSITIONS.get(visit.status, frozenset())


def move(visit: Visit, target: str, actor: User | None, reason: str = "") -> None:
    """Change the visit's status if the lifecycle allows it, and log the move."""
    if not can_move(visit, target):
        raise IllegalTransition(visit.status, target)
    if target == "assigned" and visit.shopper is None:
        raise IllegalTransition(visit.status, "assigned without a shopper")
    old = visit.status
    visit.status = target
    now = utcnow()
    if target == "submitted":
        visit.submitted_at = now
    elif target == "approved":
        visit.approved_at = now
    elif target == "open":
        visit.shopper = None
    record(actor, "visit", visit.id, "status", field="status", old=old, new=target, reason=reason)
