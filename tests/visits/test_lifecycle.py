"""The visit lifecycle refuses illegal moves and logs every legal one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.visits import lifecycle

LEGAL = [("open", "assigned"), ("assigned", "in_progress"), ("in_progress", "submitted"),
         ("submitted", "approved"), ("submitted", "returned"), ("returned", "in_progress"),
         ("returned", "submitted"), ("assigned", "submitted"), ("assigned", "open")]
ILLEGAL = [("open", "submitted"), ("assigned", "approved"), ("in_progress", "approved"),
           ("in_progress", "returned"), ("approved", "returned"), ("approved", "in_progress"),
           ("returned", "approved"), ("submitted", "in_progress")]


@pytest.mark.parametrize(("start", "target"), LEGAL)
def test_legal_moves_are_logged(session, world, make_visit, start, target):
    visit = make_visit(status=start)
    if start == "open":
        visit.shopper = world.people.shopper
    lifecycle.move(visit, target, world.people.manager, reason="test")
    session.flush()
    assert visit.status == target
    entry = session.scalars(select(AuditLog).where(AuditLog.entity_id == visit.id)).one()
    assert (entry.old_value, entry.new_value, entry.actor_id, entry.reason) == (
        start, target, world.people.manager.id, "test")


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_illegal_moves_raise_and_change_nothing(session, world, make_visit, start, target):
    visit = make_visit(status=start)
    with pytest.raises(lifecycle.IllegalTransition):
        lifecycle.move(visit, target, world.people.manager)
    assert visit.status == start
    assert session.scalars(select(AuditLog).where(AuditLog.entity_id == visit.id)).all() == []


def test_submit_and_approve_stamp_times(session, world, make_visit):
    visit = make_visit(status="in_progress")
    lifecycle.move(visit, "submitted", world.people.shopper)
    assert visit.submitted_at is not None
    lifecycle.move(visit, "approved", world.people.manager)
    assert visit.approved_at is not None and visit.is_published


def test_assigning_needs_a_shopper(session, world, make_visit):
    visit = make_visit(status="open")
    with pytest.raises(lifecycle.IllegalTransition):
        lifecycle.move(visit, "assigned", world.people.manager)
    assert visit.status == "open"
