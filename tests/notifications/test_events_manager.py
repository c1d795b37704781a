"""The quality manager's messages: each report sent for review (digest), a critical fail at
once with the visit's PDF, a dispute opened, a corrective action overdue; to the brand's
managers only (an admin when the brand has none)."""

from __future__ import annotations

from datetime import date, timedelta

from audit.actions import events as action_events
from audit.actions import operations as actions
from audit.disputes import operations as disputes
from audit.review import operations as review
from audit.visits import lifecycle
from tests.notifications.events_support import kinds, now, rows, submit


def test_each_submission_reaches_the_brands_managers(world, make_visit, session):
    visit = make_visit()
    submit(visit, world.people.shopper)
    manager = world.people.manager
    [n] = rows(session, manager, "visit_submitted")
    assert (n.link, n.delivery, n.attachment_kind) == (f"/review/{visit.id}", "digest", None)
    assert n.context["score"] == 100.0
    assert n.context["shopper_name"] == world.people.shopper.name  # managers see shoppers
    assert kinds(session, world.people.other_manager) == []
    assert kinds(session, world.people.admin) == []  # the brand has a manager
    assert "critical_fail" not in kinds(session, manager)
    # Returned and sent again: a second submission, a second message.
    review.return_visit(visit, "Thêm ảnh quầy.", manager, visit.revision)
    lifecycle.move(visit, "in_progress", world.people.shopper)
    session.commit()
    submit(visit, world.people.shopper)
    assert len(rows(session, manager, "visit_submitted")) == 2


def test_a_critical_fail_is_told_at_once_with_the_pdf(world, make_visit, session):
    visit = make_visit()
    submit(visit, world.people.shopper, failing=("P2.1",))
    assert visit.critical_fail
    [n] = rows(session, world.people.manager, "critical_fail")
    assert (n.delivery, n.attachment_kind, n.attachment_ref) == ("email", "visit_pdf", visit.id)
    assert n.link == f"/review/{visit.id}"
    assert [f["code"] for f in n.context["failures"]] == ["P2.1"]
    assert n.context["failures"][0]["text"]["vi"]
    assert kinds(session, world.people.other_manager) == []


def test_a_brand_without_managers_tells_the_admins(world, make_visit, session):
    world.people.manager.active = False
    visit = make_visit()
    submit(visit, world.people.shopper, failing=("P2.1",))
    assert set(kinds(session, world.people.admin)) == {"visit_submitted", "critical_fail"}
    assert kinds(session, world.people.manager) == []


def test_a_dispute_opened_reaches_the_brands_managers(world, make_visit, session):
    visit = make_visit()
    submit(visit, world.people.shopper, failing=("P3.2",))
    review.approve(visit, world.people.manager, visit.revision)
    dispute = disputes.open_dispute(visit, "P3.2", "Nhân viên đã xác nhận lại.", world.people.owner)
    [n] = rows(session, world.people.manager, "dispute_opened")
    assert n.link == f"/disputes/{dispute.id}"
    assert (n.context["question_code"], n.context["comment"]) == (
        "P3.2",
        "Nhân viên đã xác nhận lại.",
    )
    assert "dispute_opened" not in kinds(session, world.people.other_manager)


def test_an_overdue_action_reaches_managers_and_the_branch_once(world, session):
    branch = world.a.branches[0]
    action = actions.raise_action(
        branch=branch,
        actor=world.people.manager,
        severity="minor",
        title="Sửa biển hiệu",
        due_on=date.today() - timedelta(days=2),
    )
    assert action_events.remind_overdue(now()) == 2
    assert action_events.remind_overdue(now()) == 0
    for person in (world.people.manager, world.people.owner):
        [n] = rows(session, person, "action_overdue")
        assert (n.link, n.context["due_on"]) == (f"/actions/{action.id}", action.due_on.isoformat())
    for person in (world.people.other_manager, world.people.other_owner):
        assert kinds(session, person) == []
    action.status = "done"  # waiting on the manager: not the branch's overdue work
    action.due_on -= timedelta(days=1)
    session.flush()
    assert action_events.remind_overdue(now()) == 0
