"""Status changes per role, and verification by a later passing visit of the same branch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.actions import CorrectiveAction
from audit.models.auditlog import AuditLog
from tests.support import login

# (role, from status, to status, expected HTTP status, status afterwards)
MOVES = [
    ("owner", "open", "in_progress", 302, "in_progress"),
    ("owner", "in_progress", "done", 302, "done"),
    ("owner", "open", "done", 302, "done"),
    ("owner", "done", "verified", 403, "done"),
    ("owner", "done", "in_progress", 422, "done"),  # a note is required to go back
    ("manager", "done", "verified", 302, "verified"),
    ("manager", "open", "verified", 409, "open"),
    ("manager", "verified", "in_progress", 409, "verified"),
    ("admin", "in_progress", "done", 302, "done"),
    ("other_owner", "open", "in_progress", 404, "open"),
    ("other_manager", "open", "in_progress", 404, "open"),
    ("shopper", "open", "in_progress", 403, "open"),
]


@pytest.mark.parametrize(("who", "start", "target", "code", "after"), MOVES)
def test_status_changes_per_role(client, world, action, session, who, start, target, code,
                                 after):
    action.status = start
    session.commit()
    login(client, getattr(world.people, who))
    response = client.post(f"/actions/{action.id}/status", data={"target": target})
    assert response.status_code == code
    session.refresh(action)
    assert action.status == after


def test_rejecting_a_fix_needs_a_note_kept_as_comment(client, world, action, session):
    action.status = "done"
    session.commit()
    login(client, world.people.manager)
    refused = client.post(f"/actions/{action.id}/status", data={"target": "in_progress"},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    assert "Say why the fix is rejected." in refused.get_data(as_text=True)
    response = client.post(f"/actions/{action.id}/status", data={
        "target": "in_progress", "note": "The queue sign is still missing"})
    assert response.status_code == 302
    session.refresh(action)
    assert action.status == "in_progress"
    assert [c.text for c in action.comments] == ["The queue sign is still missing"]
    entry = session.scalars(select(AuditLog).where(
        AuditLog.entity == "corrective_action", AuditLog.action == "status")).one()
    assert (entry.old_value, entry.new_value, entry.reason, entry.actor_id) == (
        "done", "in_progress", "The queue sign is still missing", world.people.manager.id)


def test_owner_cannot_edit_severity(client, world, action, session):
    login(client, world.people.owner)
    response = client.post(f"/actions/{action.id}/edit", data={
        "severity": "minor", "due_on": action.due_on.isoformat(), "assignee": 0})
    assert response.status_code == 403
    session.refresh(action)
    assert action.severity == "critical"


def test_manager_edits_severity_due_and_assignee_logged(client, world, action, session):
    login(client, world.people.manager)
    response = client.post(f"/actions/{action.id}/edit", data={
        "severity": "major", "due_on": "2030-01-31", "assignee": world.people.owner.id,
        "title": "Greet every customer", "description": ""})
    assert response.status_code == 302
    session.refresh(action)
    assert (action.severity, action.owner_tier, action.due_on.isoformat(),
            action.assignee_id) == ("major", "region", "2030-01-31", world.people.owner.id)
    fields = {e.field: (e.old_value, e.new_value) for e in session.scalars(
        select(AuditLog).where(AuditLog.action == "edit"))}
    assert fields["severity"] == ("critical", "major")
    assert fields["assignee"] == (None, world.people.owner.id)
    bad = client.post(f"/actions/{action.id}/edit", data={
        "severity": "huge", "due_on": "", "assignee": 0})
    assert bad.status_code == 422
    session.refresh(action)
    assert action.severity == "major"


def _actions(session, code="P2.1"):
    return session.scalars(select(CorrectiveAction).where(
        CorrectiveAction.question_code == code).order_by(CorrectiveAction.id)).all()


@pytest.mark.parametrize("start", ["open", "in_progress", "done"])
def test_a_later_passing_visit_verifies(world, published, session, start):
    first = published({"P2.1": False})
    (raised,) = _actions(session)
    raised.status = start
    session.commit()
    later = published({}, branch=first.branch, shopper=world.people.other_shopper)
    session.refresh(raised)
    assert raised.status == "verified"
    assert raised.verified_by_visit_id == later.id and raised.verified_at is not None
    (entry,) = [e for e in session.scalars(select(AuditLog).where(
        AuditLog.entity == "corrective_action", AuditLog.action == "status"))
        if e.new_value == "verified"]
    assert (entry.entity_id, entry.old_value, entry.reason) == (
        raised.id, start, f"visit {later.id}")


def test_a_later_failing_visit_does_not_verify_but_raises_its_own(world, published, session):
    first = published({"P2.1": False})
    published({"P2.1": False}, branch=first.branch, shopper=world.people.other_shopper)
    rows = _actions(session)
    assert [a.status for a in rows] == ["open", "open"]
    assert rows[0].visit_id == first.id and rows[1].visit_id != first.id


def test_a_passing_visit_of_another_branch_does_not_verify(world, published, session):
    published({"P2.1": False}, branch=world.a.branches[0])
    published({}, branch=world.a.branches[1], shopper=world.people.other_shopper)
    assert [a.status for a in _actions(session)] == ["open"]


def test_a_manual_action_on_an_ordinary_question_is_verified_too(client, world, reported,
                                                                 published, session):
    visit = reported({"P3.1": False})
    login(client, world.people.manager)
    client.post("/actions/new", data={"visit": visit.id, "question": "P3.1",
                                      "branch": visit.branch_id, "severity": "minor"})
    (manual,) = _actions(session, "P3.1")
    assert manual.status == "open"
    published({"P3.1": False}, branch=visit.branch)  # still failing: stays open
    session.refresh(manual)
    assert manual.status == "open"
    published({}, branch=visit.branch, shopper=world.people.other_shopper)
    session.refresh(manual)
    assert manual.status == "verified"


@pytest.mark.parametrize(("who", "label"), [("manager", "Reject the fix"),
                                            ("owner", "Back to in progress")])
def test_a_done_action_offers_the_way_back_in_each_roles_words(client, world, action,
                                                               session, who, label):
    action.status = "done"
    session.commit()
    login(client, getattr(world.people, who))
    html = client.get(f"/actions/{action.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert label in html
    assert ("Verify the fix" in html) == (who == "manager")
