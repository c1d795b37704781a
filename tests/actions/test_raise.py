"""Raising corrective actions: automatically for critical fails on approval (idempotent),
by hand from a failed answer or for a branch; severity sets the owner tier and due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from audit.actions import operations as actions
from audit.models.actions import CorrectiveAction
from audit.models.auditlog import AuditLog
from audit.visits import scores
from tests.support import login


def count(session, **where):
    query = select(func.count()).select_from(CorrectiveAction)
    for name, value in where.items():
        query = query.where(getattr(CorrectiveAction, name) == value)
    return session.scalar(query)


def test_approving_a_critical_fail_raises_one_action_per_failed_critical_question(
        world, published, session):
    visit = published({"P2.1": False, "P2.6": True, "P3.1": False})
    assert visit.critical_fail is True
    rows = session.scalars(select(CorrectiveAction).order_by(CorrectiveAction.question_code)).all()
    assert [(a.question_code, a.severity, a.status, a.origin, a.owner_tier) for a in rows] == [
        ("P2.1", "critical", "open", "auto", "brand"),
        ("P2.6", "critical", "open", "auto", "brand"),
    ]
    assert all(a.due_on == date.today() + timedelta(days=7) for a in rows)
    assert all(a.visit_id == visit.id and a.branch_id == visit.branch_id for a in rows)
    assert rows[0].created_by_id == world.people.manager.id
    logged = session.scalars(select(AuditLog).where(
        AuditLog.entity == "corrective_action", AuditLog.action == "create")).all()
    assert sorted(e.entity_id for e in logged) == sorted(a.id for a in rows)


def test_auto_raise_is_idempotent(world, published, session):
    visit = published({"P2.1": False})
    assert count(session) == 1
    actions.on_visit_published(visit, world.people.manager)
    scores.store(visit)  # a later rescore, then the hook again
    actions.on_visit_published(visit, world.people.manager)
    assert count(session) == 1


def test_a_passing_visit_raises_nothing(published, session):
    published({"P3.1": False})
    assert count(session) == 0


@pytest.mark.parametrize(("severity", "tier", "days"), [
    ("minor", "branch", 30), ("major", "region", 14), ("critical", "brand", 7)])
def test_severity_sets_owner_tier_and_default_due(client, world, reported, session,
                                                    severity, tier, days):
    visit = reported({"P3.1": False})
    login(client, world.people.manager)
    response = client.post("/actions/new", data={
        "visit": visit.id, "question": "P3.1", "branch": visit.branch_id,
        "severity": severity, "title": "", "description": "Train the counter staff",
        "assignee": 0})
    assert response.status_code == 302, response.get_data(as_text=True)
    created = session.scalars(select(CorrectiveAction)).one()
    assert (created.severity, created.owner_tier, created.origin) == (severity, tier, "manual")
    assert created.due_on == date.today() + timedelta(days=days)
    assert created.owner_name == {"branch": visit.branch.name,
                                  "region": visit.branch.region.name,
                                  "brand": world.a.brand.name}[tier]


def test_manual_raise_from_the_review_screen(client, world, reported, session):
    visit = reported({"P3.1": False})
    login(client, world.people.manager)
    screen = client.get(f"/review/{visit.id}", headers={"Accept-Language": "en"})
    html = screen.get_data(as_text=True)
    assert html.count("Raise corrective action") == 1
    assert f"/actions/new?visit={visit.id}&amp;question=P3.1" in html
    form = client.get(f"/actions/new?visit={visit.id}&question=P3.1",
                      headers={"Accept-Language": "en"})
    assert form.status_code == 200
    assert "P3.1" in form.get_data(as_text=True)
    due = (date.today() + timedelta(days=3)).isoformat()
    response = client.post("/actions/new", data={
        "visit": visit.id, "question": "P3.1", "branch": visit.branch_id, "severity": "major",
        "title": "Ask what the customer needs", "due_on": due,
        "assignee": world.people.owner.id})
    assert response.status_code == 302
    created = session.scalars(select(CorrectiveAction)).one()
    assert (created.title, created.due_on.isoformat(), created.assignee_id) == (
        "Ask what the customer needs", due, world.people.owner.id)
    again = client.post("/actions/new", data={
        "visit": visit.id, "question": "P3.1", "branch": visit.branch_id, "severity": "minor"})
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/actions/{created.id}")
    assert count(session) == 1


def test_manual_raise_refuses_a_passed_answer(client, world, reported, session):
    visit = reported({"P3.1": False})
    login(client, world.people.manager)
    response = client.post("/actions/new", data={
        "visit": visit.id, "question": "P1.1", "branch": visit.branch_id,
        "severity": "minor", "title": "x"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "earned less than its full points" in response.get_data(as_text=True)
    assert count(session) == 0


def test_general_action_for_a_branch(client, world, session):
    branch = world.a.branches[2]
    login(client, world.people.manager)
    missing = client.post("/actions/new", data={"branch": branch.id, "severity": "minor",
                                                "title": ""},
                          headers={"Accept-Language": "en"})
    assert missing.status_code == 422
    assert "Give the action a title." in missing.get_data(as_text=True)
    response = client.post("/actions/new", data={"branch": branch.id, "severity": "minor",
                                                 "title": "Repaint the entrance"})
    assert response.status_code == 302
    created = session.scalars(select(CorrectiveAction)).one()
    assert (created.branch_id, created.visit_id, created.question_code) == (branch.id, None,
                                                                            None)


def test_another_brands_branch_or_visit_cannot_be_used(client, world, reported, session):
    login(client, world.people.other_manager)
    visit = reported({"P3.1": False})
    assert client.get(f"/actions/new?visit={visit.id}&question=P3.1").status_code == 404
    response = client.post("/actions/new", data={"branch": world.a.branches[0].id,
                                                 "severity": "minor", "title": "x"})
    assert response.status_code == 422
    assert count(session) == 0
