"""`notify`, the one way a feature sends a message: a row in the caller's transaction, for
the roles the kind reaches, once per (kind, dedupe key), delivered as the kind defaults."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit.labels import DELIVERY, NOTICE_KIND
from audit.models.notifications import Notification
from audit.notifications import Attachment, notify
from audit.vocabulary import DELIVERIES, NOTICE_KINDS


def count(session, user) -> int:
    return session.scalar(select(func.count(Notification.id)).filter_by(user_id=user.id))


def test_a_message_is_a_row_of_the_callers_transaction(world, session):
    shopper = world.people.shopper
    row = notify(
        shopper,
        "visit_assigned",
        context={"branch": "A00"},
        link="/visits/1",
        attachment=Attachment("visit_pdf", 1),
        dedupe_key="visit:1",
    )
    session.flush()
    assert (row.delivery, row.mail_status, row.read_at) == ("email", "queued", None)
    assert (row.attachment_kind, row.attachment_ref) == ("visit_pdf", 1)
    assert count(session, shopper) == 1


def test_the_same_event_is_announced_once_per_person(world, session):
    manager = world.people.manager
    for _ in range(3):
        notify(manager, "critical_fail", context={}, link="/review/1", dedupe_key="visit:1")
        session.flush()
    notify(manager, "critical_fail", context={}, link="/review/2", dedupe_key="visit:2")
    session.flush()
    assert count(session, manager) == 2


def test_a_kind_reaches_only_its_roles_and_active_people(world, session):
    owner, shopper = world.people.owner, world.people.shopper
    assert notify(owner, "visit_assigned", context={}, link="/") is None
    shopper.active = False
    assert notify(shopper, "visit_assigned", context={}, link="/") is None
    with pytest.raises(ValueError):
        notify(shopper, "no_such_kind", context={}, link="/")


def test_a_digest_kind_waits_for_the_digest(world, session):
    row = notify(world.people.manager, "visit_submitted", context={}, link="/review")
    assert (row.delivery, row.mail_status) == ("digest", "none")


def test_every_kind_and_delivery_has_a_label():
    assert set(NOTICE_KIND) == set(NOTICE_KINDS)
    assert set(DELIVERY) == set(DELIVERIES)
    assert all(delivery in DELIVERIES for _, delivery in NOTICE_KINDS.values())


def test_the_tick_runs_each_registered_task_once(monkeypatch):
    from datetime import UTC, datetime

    from audit.notifications import schedule

    monkeypatch.setattr(schedule, "TASKS", {})
    seen = []

    @schedule.periodic("count")
    def count_task(now):
        seen.append(now)
        return 2

    now = datetime(2026, 12, 7, tzinfo=UTC)
    assert schedule.run_tasks(now) == {"count": 2}
    assert seen == [now]
