"""The events' scheduled tasks are registered when the app is created, and the whole tick
run twice announces nothing the second time."""

from __future__ import annotations

from datetime import timedelta

from audit.core.clock import local_day
from audit.notifications.schedule import TASKS, run_tasks
from tests.notifications.events_support import now

EVENT_TASKS = {
    "visits.due_tomorrow",
    "visits.overdue",
    "jobs.board_new_jobs",
    "actions.due_soon",
    "actions.overdue",
}


def test_the_tasks_are_registered_by_creating_the_app(app):
    assert set(TASKS) >= EVENT_TASKS


def test_the_tick_twice_announces_once(world, make_visit, session):
    world.campaign_a.allow_claims = True
    due = make_visit()
    due.due_until = local_day(now(), due.zone) + timedelta(days=1)
    make_visit(branch=world.a.branches[2], status="open")
    session.flush()
    first = run_tasks(now())
    assert first["visits.due_tomorrow"] == 1 and first["jobs.board_new_jobs"] >= 1
    assert all(count == 0 for name, count in run_tasks(now()).items() if name in EVENT_TASKS)
