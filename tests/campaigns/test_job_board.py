"""The job board: what a shopper sees, claiming through the lifecycle, one winner when two
shoppers claim at once, the twice-in-a-row rule and the cap on open visits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from audit.jobs import operations
from audit.models.auditlog import AuditLog
from audit.models.visits import Visit
from tests.support import login

EN = {"Accept-Language": "en"}


@pytest.fixture
def board_world(world, make_visit, session):
    world.campaign_a.allow_claims = True
    open_visit = make_visit(status="open", branch=world.a.branches[1])
    session.flush()
    return open_visit


@pytest.mark.parametrize(("role", "status"), [
    ("shopper", 200), ("admin", 403), ("manager", 403), ("owner", 403)])
def test_board_by_role(client, world, role, status):
    login(client, getattr(world.people, role))
    assert client.get("/jobs").status_code == status


def test_board_lists_claimable_visits_only(client, world, make_visit, session, board_world):
    closed = world.campaign(world.a, "servqual-branch")  # allow_claims is False
    hidden = make_visit(status="open", campaign=closed, branch=world.a.branches[2])
    ended = world.campaign(world.a, "phone-call-audit")
    ended.allow_claims = True
    ended.starts_on, ended.ends_on = date.today() - timedelta(days=20), date.today() - \
        timedelta(days=1)
    make_visit(status="open", campaign=ended, branch=world.a.branches[3])
    inactive = make_visit(status="open", branch=world.a.branches[0])
    inactive.branch.active = False
    session.flush()
    login(client, world.people.shopper)
    page = client.get("/jobs", headers=EN).get_data(as_text=True)
    assert page.count('class="card visit"') == 1
    assert world.a.branches[1].name in page
    assert "Ask about a phone." in page and "In person" in page
    assert hidden.branch.name not in page


def test_claim_assigns_through_the_lifecycle(client, world, session, board_world):
    login(client, world.people.shopper)
    response = client.post(f"/jobs/{board_world.id}/claim")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/visits/{board_world.id}")
    session.refresh(board_world)
    assert (board_world.status, board_world.shopper_id) == ("assigned", world.people.shopper.id)
    move = session.scalars(select(AuditLog).where(AuditLog.entity_id == board_world.id,
                                                  AuditLog.action == "status")).one()
    assert (move.actor_id, move.old_value, move.new_value) == (
        world.people.shopper.id, "open", "assigned")


def test_second_claim_gets_a_clear_message(client, app, world, session, board_world):
    login(client, world.people.shopper)
    client.post(f"/jobs/{board_world.id}/claim")
    other = app.test_client()
    login(other, world.people.other_shopper)
    response = other.post(f"/jobs/{board_world.id}/claim", headers=EN)
    assert response.status_code == 303
    page = other.get("/jobs", headers=EN).get_data(as_text=True)
    assert "Another shopper took this visit just before you." in page
    session.refresh(board_world)
    assert board_world.shopper_id == world.people.shopper.id


def _other_claim_lands(world, visit_id):
    """Another shopper's claim, committed by another process: status, shopper, revision+1."""
    from audit.extensions import db

    db.session.execute(update(Visit).where(Visit.id == visit_id).values(
        status="assigned", shopper_id=world.people.other_shopper.id,
        revision=Visit.revision + 1).execution_options(synchronize_session=False))


def test_simultaneous_claims_one_winner(world, session, board_world, monkeypatch):
    """Both shoppers read the open visit; the other one's UPDATE lands between our read and
    our write. Ours (WHERE revision = the one we read) matches no row: refused as taken."""
    session.commit()  # the world stays durable inside the test's outer transaction
    real_loads = operations.service.shopper_loads

    def loads_then_race(ids, *statuses):
        _other_claim_lands(world, board_world.id)
        return real_loads(ids, *statuses)

    monkeypatch.setattr(operations.service, "shopper_loads", loads_then_race)
    with pytest.raises(operations.ClaimRefused) as refused:
        operations.claim(board_world.id, world.people.shopper)
    assert refused.value.reason == "taken"


def test_claim_of_a_visit_taken_before_the_read(world, session, board_world):
    session.commit()
    _other_claim_lands(world, board_world.id)
    with pytest.raises(operations.ClaimRefused) as refused:
        operations.claim(board_world.id, world.people.shopper)
    assert refused.value.reason == "taken"
    session.expire_all()
    assert session.get(Visit, board_world.id).shopper_id == world.people.other_shopper.id


def test_twice_in_a_row_on_the_board(client, world, make_visit, session, board_world):
    earlier = make_visit(status="approved", branch=world.a.branches[1])
    earlier.due_from = board_world.due_from - timedelta(days=40)
    session.flush()
    login(client, world.people.shopper)
    page = client.get("/jobs", headers=EN).get_data(as_text=True)
    assert "You made the previous visit at this branch" in page
    assert f"/jobs/{board_world.id}/claim" not in page
    client.post(f"/jobs/{board_world.id}/claim")
    session.refresh(board_world)
    assert board_world.status == "open"
    other = world.people.other_shopper
    assert earlier.shopper_id != other.id


def test_cap_on_visits_not_started(client, world, make_visit, session, board_world):
    make_visit(status="in_progress", branch=world.a.branches[0],
               shopper=world.people.other_shopper)  # being worked on: not counted
    for branch in world.a.branches[:1] * operations.MAX_OPEN_ASSIGNMENTS:
        make_visit(status="assigned", branch=branch, shopper=world.people.other_shopper)
    login(client, world.people.other_shopper)
    client.post(f"/jobs/{board_world.id}/claim", headers=EN)
    page = client.get("/jobs", headers=EN).get_data(as_text=True)
    assert "You already hold 5 visits you have not started." in page
    session.refresh(board_world)
    assert board_world.status == "open"


def test_claim_of_a_non_claimable_visit(client, world, make_visit, session):
    visit = make_visit(status="open")  # campaign A does not allow claims
    login(client, world.people.shopper)
    assert client.post(f"/jobs/{visit.id}/claim").status_code == 303
    session.refresh(visit)
    assert visit.status == "open"
    assert client.post("/jobs/999999/claim").status_code == 303
