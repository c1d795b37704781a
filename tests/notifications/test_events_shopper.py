"""The shopper's messages: a visit assigned by someone else (not a claim), due tomorrow and
overdue reminders, new jobs on the board in their regions; each once, to them only."""

from __future__ import annotations

from datetime import timedelta

from audit.campaigns import operations as campaigns
from audit.core.clock import local_day
from audit.jobs import events as board
from audit.jobs import operations as jobs
from audit.visits import events
from tests.notifications.events_support import kinds, now, rows


def test_a_manager_assigning_a_visit_tells_its_shopper(world, make_visit, session):
    visit = make_visit(status="open")
    shopper, manager = world.people.shopper, world.people.manager
    campaigns.assign(world.campaign_a, [visit.id], shopper, manager)
    [n] = rows(session, shopper, "visit_assigned")
    assert n.link == f"/visits/{visit.id}"
    assert n.context["branch_code"] == visit.branch.code
    assert n.context["campaign"] == world.campaign_a.name
    assert n.context["due_until"] == visit.due_until.isoformat()
    assert rows(session, world.people.other_shopper) == []
    assert rows(session, manager) == []


def test_automatic_assignment_tells_each_shopper_of_their_own(world, make_visit, session):
    first, second = make_visit(status="open"), make_visit(status="open", branch=world.a.branches[1])
    shoppers = [world.people.shopper, world.people.other_shopper]
    count, _left = campaigns.auto_assign(world.campaign_a, shoppers, world.people.manager)
    assert count == 2
    for shopper in shoppers:
        [n] = rows(session, shopper, "visit_assigned")
        mine = first if first.shopper_id == shopper.id else second
        assert n.context["visit_id"] == mine.id


def test_a_claim_needs_no_message(world, make_visit, session):
    world.campaign_a.allow_claims = True
    visit = make_visit(status="open")
    jobs.claim(visit.id, world.people.other_shopper)
    assert "visit_assigned" not in kinds(session, world.people.other_shopper)


def _today(visit):
    return local_day(now(), visit.zone)


def test_due_tomorrow_is_said_once(world, make_visit, session):
    due = make_visit()
    later = make_visit(branch=world.a.branches[1], shopper=world.people.other_shopper)
    due.due_until = _today(due) + timedelta(days=1)
    later.due_until = _today(later) + timedelta(days=3)
    session.flush()
    assert events.remind_due_tomorrow(now()) == 1
    assert events.remind_due_tomorrow(now()) == 0  # the tick again sends nothing
    [n] = rows(session, world.people.shopper, "visit_due_tomorrow")
    assert (n.link, n.context["due_until"]) == (f"/visits/{due.id}", due.due_until.isoformat())
    assert rows(session, world.people.other_shopper) == []


def test_overdue_is_said_once_and_only_for_visits_still_to_make(world, make_visit, session):
    late = make_visit(status="in_progress")
    sent = make_visit(branch=world.a.branches[1], status="submitted")
    for visit in (late, sent):
        visit.due_from = visit.due_until = _today(visit) - timedelta(days=2)
    session.flush()
    assert events.remind_overdue(now()) == 1
    assert events.remind_overdue(now()) == 0
    [n] = rows(session, world.people.shopper, "visit_overdue")
    assert n.context["visit_id"] == late.id


def test_new_jobs_reach_shoppers_of_their_regions_once(world, make_visit, make_user, session):
    world.campaign_a.allow_claims = True
    north, south = world.a.branches[2], world.a.branches[3]  # regions: a North, a South
    make_visit(branch=world.a.branches[0])  # the shopper works in the North
    north_job = make_visit(branch=north, status="open")
    south_job = make_visit(branch=south, status="open")
    newcomer = make_user("shopper")
    gone = make_user("shopper", active=False)
    assert board.announce_new_jobs(now()) >= 3
    assert board.announce_new_jobs(now()) == 0
    [n] = rows(session, world.people.shopper, "board_new_jobs")
    assert (n.context["visit_id"], n.link, n.delivery) == (north_job.id, "/jobs", "digest")
    told = {n.context["visit_id"] for n in rows(session, newcomer, "board_new_jobs")}
    assert told == {north_job.id, south_job.id}  # no visit yet: every job, as the board
    assert rows(session, gone) == []


def test_a_job_the_shopper_may_not_take_is_not_announced(world, make_visit, session):
    world.campaign_a.allow_claims = True
    branch = world.a.branches[2]
    make_visit(branch=branch, status="approved")  # the shopper made the previous visit
    make_visit(branch=branch, status="open")
    board.announce_new_jobs(now())
    assert rows(session, world.people.shopper, "board_new_jobs") == []
