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
from audit.vocabulary import ASSIGNED, IN_PROGRESS, OPEN, PUBLISHED, RETURNED, SUBMITTED

TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({ASSIGNED}),
    ASSIGNED: frozenset({IN_PROGRESS, SUBMITTED, OPEN}),
    IN_PROGRESS: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({PUBLISHED, RETURNED}),
    RETURNED: frozenset({IN_PROGRESS, SUBMITTED}),
    PUBLISHED: frozenset(),
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
    if target == ASSIGNED and visit.shopper is None:
        raise IllegalTransition(visit.status, "assigned without a shopper")
    old = visit.status
    visit.status = target
    now = utcnow()
    if target == SUBMITTED:
        visit.submitted_at = now
    elif target == PUBLISHED:
        visit.approved_at = now
    elif target == OPEN:
        visit.shopper = None
    record(actor, "visit", visit.id, "status", field="status", old=old, new=target, reason=reason)
