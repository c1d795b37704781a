"""Disputes: an owner opens one on a published answer of their branch; a manager of the
brand accepts it (answer changed, visit rescored, logged) or rejects it with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.actions import operations as actions
from audit.disputes import operations as disputes
from audit.models.actions import CorrectiveAction
from audit.models.auditlog import AuditLog
from audit.models.disputes import Dispute
from audit.models.visits import Photo
from audit.review import operations as review
from audit.visits import lifecycle, operations
from tests.support import login, perfect_answers

EN = {"Accept-Language": "en"}


@pytest.fixture
def published(world, make_visit, session):
    """A published care-protocol visit at branch A00 (franchisee A, world.people.owner).

    22 scored questions of 1 point (P2.5 is hidden: nobody waited). Everything passes but
    P3.2 (no, 0) and P4.4 ("not solved", 0): 20 / 22 = 90.909...; reliability
    (P3.2, P4.1, P4.4, P5.4) 2 / 4 = 50; step 4 (P4.1-P4.4) 3 / 4 = 75.
    """
    visit = make_visit(branch=world.a.branches[0])
    operations.save_answers(visit,
                            perfect_answers(visit, {"P3.2": False, "P4.4": "not_solved"}),
                            world.people.shopper)
    operations.submit(visit, world.people.shopper)
    lifecycle.move(visit, "approved", world.people.manager)
    session.commit()
    assert visit.score_overall == pytest.approx(100 * 20 / 22)
    return visit


def _open(visit, owner, code="P4.4", comment="Khách đã được giải quyết trọn vẹn.", **kw):
    return disputes.open_dispute(visit, code, comment, owner, **kw)


def test_owner_opens_a_dispute_through_the_api(client, world, published, token_for, session):
    response = client.post(f"/api/v1/visits/{published.id}/disputes",
                           json={"question": "P4.4", "comment": "The customer left happy.",
                                 "proposed_value": "solved"},
                           headers=token_for(world.people.owner))
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in ("visit_id", "question", "comment", "proposed_value",
                                 "proposed_na", "status", "resolved_at")} == {
        "visit_id": published.id, "question": "P4.4", "comment": "The customer left happy.",
        "proposed_value": "solved", "proposed_na": False, "status": "open",
        "resolved_at": None}
    assert world.people.shopper.name not in response.get_data(as_text=True)
    assert "shopper" not in body and "opened_by" not in body
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "dispute")).one()
    assert (entry.action, entry.field, entry.old_value, entry.new_value, entry.actor_id) == (
        "open", "P4.4", {"value": "not_solved", "na": False}, {"value": "solved", "na": False},
        world.people.owner.id)


@pytest.mark.parametrize(("who", "status", "message"), [
    ("manager", 403, "Only the franchise owner of the branch can dispute an answer."),
    ("shopper", 403, "Only the franchise owner of the branch can dispute an answer."),
    ("admin", 403, "Only the franchise owner of the branch can dispute an answer."),
    ("other_owner", 404, None),  # franchisee B does not own branch A00
])
def test_only_the_branch_owner_may_dispute(client, world, published, token_for, who, status,
                                           message, session):
    response = client.post(f"/api/v1/visits/{published.id}/disputes",
                           json={"question": "P4.4", "comment": "wrong"},
                           headers=token_for(getattr(world.people, who)))
    assert response.status_code == status
    if message:
        assert response.get_json()["error"] == message
    assert session.scalars(select(Dispute)).all() == []


def test_unpublished_visit_is_invisible_to_the_owner(client, world, make_visit, token_for):
    visit = make_visit(branch=world.a.branches[0], status="submitted")
    response = client.post(f"/api/v1/visits/{visit.id}/disputes",
                           json={"question": "P4.4", "comment": "wrong"},
                           headers=token_for(world.people.owner))
    assert response.status_code == 404  # owners never learn of unpublished visits


def test_service_refuses_unpublished_other_branches_and_other_roles(world, make_visit,
                                                                     published):
    draft = make_visit(branch=world.a.branches[0], status="submitted")
    with pytest.raises(disputes.NotPublished) as refused:
        _open(draft, world.people.owner)
    assert refused.value.status == 422
    with pytest.raises(disputes.NotOwnBranch) as refused:
        _open(published, world.people.other_owner)
    assert refused.value.status == 404
    with pytest.raises(disputes.NotOwner) as refused:
        _open(published, world.people.manager)
    assert refused.value.status == 403


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"question": "P4.4", "comment": "  "}, "comment", "Say what is wrong with this answer."),
    ({"question": "P2.5", "comment": "x"}, "question",
     "This visit has no answer to that question."),  # hidden, never answered
    ({"question": "NOPE", "comment": "x"}, "question",
     "This visit has no answer to that question."),
    ({"question": "P4.4", "comment": "x", "proposed_value": "perfect"}, "proposed_value",
     "Choose one of: solved, partly, not_solved."),
    ({"question": "P4.4", "comment": "x", "proposed_na": True}, "proposed_value",
     "This question cannot be answered N/A."),
])
def test_invalid_dispute_is_refused_with_a_clear_message(client, world, published, token_for,
                                                         body, field, message, session):
    response = client.post(f"/api/v1/visits/{published.id}/disputes", json=body,
                           headers=token_for(world.people.owner))
    assert response.status_code == 422
    assert response.get_json()["details"] == {field: message}
    assert session.scalars(select(Dispute)).all() == []


def test_one_open_dispute_per_answer(client, world, published, token_for, session):
    headers = token_for(world.people.owner)
    url = f"/api/v1/visits/{published.id}/disputes"
    assert client.post(url, json={"question": "P4.4", "comment": "a"},
                       headers=headers).status_code == 201
    again = client.post(url, json={"question": "P4.4", "comment": "b"}, headers=headers)
    assert again.status_code == 409
    assert "already has an open dispute" in again.get_json()["error"]
    other_answer = client.post(url, json={"question": "P3.2", "comment": "c"}, headers=headers)
    assert other_answer.status_code == 201
    dispute = session.scalars(select(Dispute).where(Dispute.comment == "a")).one()
    disputes.reject(dispute, "The shopper's notes say otherwise.", world.people.manager,
                    published.revision)
    assert client.post(url, json={"question": "P4.4", "comment": "d"},
                       headers=headers).status_code == 201  # a decided one no longer blocks


def test_accept_changes_the_answer_rescores_and_logs(client, world, published, session):
    dispute = _open(published, world.people.owner, proposed_value="solved")
    login(client, world.people.manager)
    page = client.get(f"/disputes/{dispute.id}", headers=EN).get_data(as_text=True)
    assert 'value="solved" selected' in page  # pre-filled with the owner's proposal
    response = client.post(f"/disputes/{dispute.id}/accept", data={
        "accept-revision": published.revision, "accept-value": "partly",
        "accept-reason": "The receipt shows a partial refund."})
    assert response.status_code == 302
    session.refresh(published)
    # P4.4 "partly" earns 0.5: 20.5 / 22 = 93.1818...; reliability 2.5 / 4 = 62.5;
    # step 4 3.5 / 4 = 87.5. The visit stays published.
    assert published.score_overall == pytest.approx(100 * 20.5 / 22)
    assert published.score_reliability == pytest.approx(62.5)
    assert published.score_step_4 == pytest.approx(87.5)
    assert published.status == "approved"
    row = next(q for q in published.scores["questions"] if q["code"] == "P4.4")
    assert (row["earned"], row["possible"]) == (0.5, 1.0)
    session.refresh(dispute)
    assert (dispute.status, dispute.resolved_by_id, dispute.resolution_reason) == (
        "accepted", world.people.manager.id, "The receipt shows a partial refund.")
    assert dispute.resolved_at is not None
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "dispute_accepted")).one()
    assert (entry.entity, entry.entity_id, entry.field, entry.actor_id, entry.reason) == (
        "visit", published.id, "P4.4", world.people.manager.id,
        "The receipt shows a partial refund.")
    assert entry.old_value["value"] == "not_solved" and entry.new_value["value"] == "partly"
    assert entry.old_value["score"] == pytest.approx(100 * 20 / 22)
    assert entry.new_value["score"] == pytest.approx(100 * 20.5 / 22)
    assert entry.at is not None


def test_accepting_a_critical_item_lifts_the_zero(world, make_visit, session):
    """Care protocol policy is "zero": P2.1 (greeting, critical) failed scores the visit 0;
    accepted to yes, every one of the 22 questions passes: 22 / 22 = 100."""
    visit = make_visit(branch=world.a.branches[0])
    operations.save_answers(visit, perfect_answers(visit, {"P2.1": False}),
                            world.people.shopper)
    operations.submit(visit, world.people.shopper)
    lifecycle.move(visit, "approved", world.people.manager)
    session.commit()
    assert (visit.score_overall, visit.critical_fail) == (0.0, True)
    dispute = _open(visit, world.people.owner, code="P2.1", proposed_value="yes")
    disputes.accept(dispute, "yes", False, "CCTV shows the greeting.", world.people.manager,
                    visit.revision)
    assert (visit.score_overall, visit.critical_fail) == (100.0, False)


def test_reject_needs_a_reason(client, world, published, session):
    dispute = _open(published, world.people.owner)
    login(client, world.people.manager)
    before = published.score_overall
    missing = client.post(f"/disputes/{dispute.id}/reject", headers=EN, data={
        "reject-revision": published.revision, "reject-reason": " "})
    assert missing.status_code == 422
    assert "Give a reason for the decision." in missing.get_data(as_text=True)
    session.refresh(dispute)
    assert dispute.status == "open"
    done = client.post(f"/disputes/{dispute.id}/reject", data={
        "reject-revision": published.revision, "reject-reason": "Ảnh cho thấy chưa giải quyết."})
    assert done.status_code == 302
    session.refresh(dispute)
    session.refresh(published)
    assert (dispute.status, dispute.resolution_reason) == ("rejected",
                                                           "Ảnh cho thấy chưa giải quyết.")
    assert published.score_overall == before
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "reject")).one()
    assert (entry.entity_id, entry.reason, entry.actor_id) == (
        dispute.id, "Ảnh cho thấy chưa giải quyết.", world.people.manager.id)
    with pytest.raises(disputes.ReasonRequired):
        disputes.accept(_open(published, world.people.owner, code="P3.2"), "yes", False, "",
                        world.people.manager, None)


def test_stale_revision_or_decided_dispute_is_a_conflict(client, world, published, session):
    dispute = _open(published, world.people.owner)
    stale = published.revision
    disputes.accept(_open(published, world.people.owner, code="P3.2"), "yes", False,
                    "first decision", world.people.manager, stale)  # bumps the revision
    login(client, world.people.manager)
    response = client.post(f"/disputes/{dispute.id}/accept", headers=EN, data={
        "accept-revision": stale, "accept-value": "solved", "accept-reason": "late"})
    assert response.status_code == 409
    assert "Someone else changed this visit" in response.get_data(as_text=True)
    session.refresh(dispute)
    assert dispute.status == "open"
    disputes.reject(dispute, "no", world.people.manager, published.revision)
    again = client.post(f"/disputes/{dispute.id}/reject", data={
        "reject-revision": published.revision, "reject-reason": "twice"})
    assert again.status_code == 409


def test_invalid_corrected_answer_changes_nothing(client, world, published, session):
    dispute = _open(published, world.people.owner)
    login(client, world.people.manager)
    response = client.post(f"/disputes/{dispute.id}/accept", headers=EN, data={
        "accept-revision": published.revision, "accept-value": "great",
        "accept-reason": "typo"})
    assert response.status_code == 422
    assert "Choose one of: solved, partly, not_solved." in response.get_data(as_text=True)
    session.refresh(dispute)
    assert dispute.status == "open"


def test_queue_shows_open_disputes_oldest_first(client, world, published, session):
    first = _open(published, world.people.owner, code="P3.2", comment="Đã nhắc lại yêu cầu.")
    _open(published, world.people.owner, comment="Solved on the spot.")
    login(client, world.people.manager)
    page = client.get("/disputes", headers=EN).get_data(as_text=True)
    assert page.index("Đã nhắc lại yêu cầu.") < page.index("Solved on the spot.")
    assert published.branch.name in page
    assert "The staff member restated your request" in page  # question text
    assert "Not solved" in page and "0.00 / 1" in page  # current answer and its points
    assert world.people.shopper.name not in page
    disputes.reject(first, "no", world.people.manager, published.revision)
    open_only = client.get("/disputes", headers=EN).get_data(as_text=True)
    assert "Đã nhắc lại yêu cầu." not in open_only
    rejected = client.get("/disputes?status=rejected", headers=EN).get_data(as_text=True)
    assert "Đã nhắc lại yêu cầu." in rejected and "Solved on the spot." not in rejected


@pytest.mark.parametrize(("who", "queue", "screen"), [
    ("manager", 200, 200), ("admin", 200, 200), ("other_manager", 200, 404),
    ("owner", 403, 403), ("other_owner", 403, 403), ("shopper", 403, 403),
])
def test_access_per_role(client, world, published, who, queue, screen):
    dispute = _open(published, world.people.owner, comment="Mã tranh chấp 4711")
    login(client, getattr(world.people, who))
    listing = client.get("/disputes")
    assert listing.status_code == queue
    if queue == 200:
        assert ("Mã tranh chấp 4711" in listing.get_data(as_text=True)) is (
            who != "other_manager")
    assert client.get(f"/disputes/{dispute.id}").status_code == screen
    decided = client.post(f"/disputes/{dispute.id}/reject", data={
        "reject-revision": published.revision, "reject-reason": "x"}).status_code
    assert decided == (302 if screen == 200 else screen)


def test_resolution_screen_shows_the_answer_its_points_and_pass_band(client, world, published,
                                                                     session):
    wait = next(q for q in published.checklist_version.ordered_questions() if q.code == "WAIT")
    for question, key in ((wait, "timer"), (None, "front")):
        session.add(Photo(visit=published, question=question, storage_key=f"t/{key}.jpg",
                          content_type="image/jpeg", width=10, height=10, size_bytes=1,
                          sha256=key * 4, caption=f"ảnh {key}"))
    session.flush()
    timer, front = published.photos
    dispute = _open(published, world.people.owner, code="WAIT", comment="Chào sau 20 giây.")
    login(client, world.people.manager)
    page = client.get(f"/disputes/{dispute.id}", headers=EN).get_data(as_text=True)
    assert "Chào sau 20 giây." in page and "1.00 / 1" in page
    assert 'value="5"' in page  # no proposal: starts from the current answer
    assert "Passes from 0 to 60." in page
    assert world.people.owner.name in page and world.people.shopper.name not in page
    assert page.index(f"/photos/{timer.id}/thumbnail") < page.index("Other photos of the visit")
    assert page.index("Other photos of the visit") < page.index(f"/photos/{front.id}/thumbnail")


def _publish(world, make_visit, session, overrides):
    visit = make_visit(branch=world.a.branches[0])
    operations.save_answers(visit, perfect_answers(visit, overrides), world.people.shopper)
    operations.submit(visit, world.people.shopper)
    review.approve(visit, world.people.manager, visit.revision)
    session.commit()
    return visit


def test_an_accepted_dispute_that_makes_the_answer_pass_closes_its_action(
        client, world, make_visit, session):
    """Defect 13: the critical fail's action stayed open after the dispute turned the
    answer into a pass, and its card still showed the failed answer."""
    visit = _publish(world, make_visit, session, {"P2.1": False})
    action = session.scalars(select(CorrectiveAction).where(
        CorrectiveAction.visit_id == visit.id)).one()
    assert (action.question_code, action.status) == ("P2.1", "open")
    dispute = _open(visit, world.people.owner, code="P2.1", proposed_value="yes")
    disputes.accept(dispute, "yes", False, "CCTV shows the greeting.", world.people.manager,
                    visit.revision)
    session.refresh(action)
    assert (action.status, action.verified_by_visit_id) == ("verified", visit.id)
    entry = session.scalars(select(AuditLog).where(
        AuditLog.entity == "corrective_action", AuditLog.action == "status")).one()
    assert (entry.old_value, entry.new_value, entry.reason) == (
        "open", "verified", "CCTV shows the greeting.")
    login(client, world.people.owner)
    page = client.get(f"/actions/{action.id}", headers=EN).get_data(as_text=True)
    assert "closed: a dispute was accepted and the answer now passes" in page
    assert "Answer changed after a dispute" in page and "CCTV shows the greeting." in page
    card = page.split('class="answers source-answer"')[1].split("</table>")[0]
    assert '<tr class="failed">' not in card and "Yes" in card and "1.00 / 1" in card


def test_an_accepted_dispute_that_still_fails_keeps_the_action_open(
        world, make_visit, session):
    visit = _publish(world, make_visit, session, {"P4.4": "not_solved"})
    action = actions.raise_action(branch=visit.branch, actor=world.people.manager,
                                  severity="minor", visit=visit, question_code="P4.4")
    dispute = _open(visit, world.people.owner, proposed_value="solved")
    disputes.accept(dispute, "partly", False, "A partial refund only.", world.people.manager,
                    visit.revision)
    session.refresh(action)
    assert action.status == "open"
    dispute = _open(visit, world.people.owner, proposed_value="solved")
    disputes.accept(dispute, "solved", False, "The refund was full.", world.people.manager,
                    visit.revision)
    session.refresh(action)
    assert action.status == "verified"
