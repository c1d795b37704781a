"""The franchise owner's messages: a visit of their branch published (with its PDF), a
dispute decided, a corrective action given to them, due soon or overdue, a comparison
report of their campaign ready. Only the owners of the branch's franchisee, only once they
may read the record, and never a word of the shopper."""

from __future__ import annotations

from datetime import date, timedelta

from audit.actions import events as action_events
from audit.actions import operations as actions
from audit.disputes import operations as disputes
from audit.models.notifications import Notification
from audit.reports import operations as reports
from audit.review import operations as review
from tests.notifications.events_support import (
    assert_names_no_shopper,
    kinds,
    now,
    rows,
    submit,
)


def _published(world, make_visit, branch=None, failing=("P3.2",)):
    visit = make_visit(branch=branch or world.a.branches[0])
    submit(visit, world.people.shopper, failing=failing)
    review.approve(visit, world.people.manager, visit.revision)
    return visit


def test_publishing_tells_the_branchs_owners_with_the_pdf(world, make_visit, session):
    visit = make_visit()
    submit(visit, world.people.shopper)
    assert kinds(session, world.people.owner) == []  # not published: nothing yet
    review.approve(visit, world.people.manager, visit.revision)
    [n] = rows(session, world.people.owner, "visit_published")
    assert (n.link, n.attachment_kind, n.attachment_ref) == (
        f"/portal/visits/{visit.id}",
        "visit_pdf",
        visit.id,
    )
    assert n.context["score"] == 100.0 and n.context["branch_code"] == visit.branch.code
    assert_names_no_shopper(n)
    assert kinds(session, world.people.other_owner) == []
    assert "visit_published" not in kinds(session, world.people.manager)


def test_a_decided_dispute_tells_the_owners(world, make_visit, session):
    visit = _published(world, make_visit)
    opened = disputes.open_dispute(visit, "P3.2", "Đã làm đúng.", world.people.owner)
    disputes.reject(opened, "Ảnh không cho thấy điều đó.", world.people.manager, None)
    [n] = rows(session, world.people.owner, "dispute_resolved")
    assert (n.link, n.context["decision"], n.context["reason"]) == (
        f"/portal/visits/{visit.id}",
        "rejected",
        "Ảnh không cho thấy điều đó.",
    )
    assert_names_no_shopper(n)
    assert world.people.manager.name not in str(n.context)  # "the quality team" decided
    again = disputes.open_dispute(visit, "P3.2", "Xem lại giúp.", world.people.owner)
    disputes.accept(again, True, False, "Đúng vậy.", world.people.manager, None)
    assert [
        r.context["decision"] for r in rows(session, world.people.owner, "dispute_resolved")
    ] == ["rejected", "accepted"]
    assert kinds(session, world.people.other_owner) == []


def test_an_action_given_to_an_owner_is_told_once_they_may_read_it(world, make_visit, session):
    owner, manager = world.people.owner, world.people.manager
    general = actions.raise_action(
        branch=world.a.branches[0],
        actor=manager,
        severity="minor",
        title="Lau kính",
        assignee=owner,
    )
    [n] = rows(session, owner, "action_assigned")
    assert (n.link, n.context["title"]["vi"]) == (f"/actions/{general.id}", "Lau kính")
    assert_names_no_shopper(n)
    # From an answer of a visit not yet published: the owner hears of it at publication.
    visit = make_visit()
    submit(visit, world.people.shopper, failing=("P3.2",))
    from_visit = actions.raise_action(
        branch=visit.branch,
        actor=manager,
        severity="major",
        visit=visit,
        question_code="P3.2",
        assignee=owner,
    )
    assert len(rows(session, owner, "action_assigned")) == 1
    review.approve(visit, manager, visit.revision)
    told = rows(session, owner, "action_assigned")
    assert [r.context["action_id"] for r in told] == [general.id, from_visit.id]
    for row in told:
        assert_names_no_shopper(row)
    assert kinds(session, world.people.other_owner) == []


def test_due_soon_reaches_the_branch_once(world, session):
    owner = world.people.owner
    actions.raise_action(
        branch=world.a.branches[0],
        actor=world.people.manager,
        severity="minor",
        title="Sửa đèn",
        due_on=date.today() + timedelta(1),
    )
    actions.raise_action(
        branch=world.a.branches[0],
        actor=world.people.manager,
        severity="minor",
        title="Sơn lại",
        due_on=date.today() + timedelta(9),
    )
    assert action_events.remind_due_soon(now()) == 1
    assert action_events.remind_due_soon(now()) == 0
    [n] = rows(session, owner, "action_due_soon")
    assert n.context["title"]["en"] == "Sửa đèn"
    assert kinds(session, world.people.other_owner) == []
    assert "action_due_soon" not in kinds(session, world.people.manager)  # not assigned


def _comparison(user, campaign) -> int:
    report = reports.create(user, "comparison", {"campaign": campaign.id}, "en")
    report_id = report.id
    reports.db.session.commit()
    reports.run_report(report_id)
    return report_id


def test_a_comparison_ready_reaches_requester_and_owners_in_scope(world, make_visit, session):
    _published(world, make_visit)  # franchisee A's branch
    _published(world, make_visit, branch=world.a.branches[1])  # franchisee B's
    manager, owner, other_owner = (
        world.people.manager,
        world.people.owner,
        world.people.other_owner,
    )
    report_id = _comparison(manager, world.campaign_a)
    [mine] = rows(session, manager, "comparison_ready")
    assert (mine.link, mine.attachment_kind, mine.attachment_ref) == (
        f"/reports/{report_id}/download",
        "comparison_pdf",
        report_id,
    )
    for person in (owner, other_owner):
        [n] = rows(session, person, "comparison_ready")
        assert n.link == f"/reports/comparison.pdf?campaign={world.campaign_a.id}"
        assert (n.attachment_kind, n.context["own_copy"]) == ("comparison_pdf", True)
        assert n.context["campaign"] == world.campaign_a.name
        assert_names_no_shopper(n)
    assert kinds(session, world.people.other_manager) == []
    # The manager runs it again: the owners hold nothing new, so they hear nothing more.
    _comparison(manager, world.campaign_a)
    assert len(rows(session, manager, "comparison_ready")) == 2
    assert len(rows(session, owner, "comparison_ready")) == 1


def test_an_owners_own_report_tells_only_them(world, make_visit, session):
    _published(world, make_visit)
    _published(world, make_visit, branch=world.a.branches[1])
    report_id = _comparison(world.people.owner, world.campaign_a)
    [n] = rows(session, world.people.owner, "comparison_ready")
    assert (n.link, n.context["own_copy"]) == (f"/reports/{report_id}/download", False)
    assert "comparison_ready" not in kinds(session, world.people.other_owner)
    assert kinds(session, world.people.manager).count("comparison_ready") == 0


def test_no_owner_message_names_the_shopper(world, make_visit, session):
    """Every owner row the other tests made, in both languages (a last sweep)."""
    visit = _published(world, make_visit, failing=("P2.1",))
    owner_rows = session.query(Notification).filter_by(user_id=world.people.owner.id).all()
    assert owner_rows and visit.critical_fail
    for n in owner_rows:
        assert_names_no_shopper(n)
