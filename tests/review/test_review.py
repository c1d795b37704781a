"""Review and publishing: flags, edits with a reason, conflicts, return, approve, access."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.visits import operations
from tests.support import login, perfect_answers


@pytest.fixture
def submitted(world, make_visit, session):
    """A perfect care-protocol visit submitted by the shopper."""
    visit = make_visit()
    operations.save_answers(visit, perfect_answers(visit), world.people.shopper)
    operations.submit(visit, world.people.shopper)
    return visit


def test_queue_lists_submitted_visits_with_flags(client, world, submitted, session):
    submitted.facts = {"time_in": "10:00", "time_out": "10:02"}
    session.commit()
    login(client, world.people.manager)
    page = client.get("/review?sort=flags", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert submitted.branch.name in html
    assert "Completed suspiciously fast" in html
    assert "Required photo missing" in html  # P1.2 answered without its photo


@pytest.mark.parametrize("who", ["other_manager", "owner", "shopper"])
def test_others_cannot_review(client, world, submitted, who):
    login(client, getattr(world.people, who))
    status = client.get(f"/review/{submitted.id}").status_code
    assert status == (404 if who == "other_manager" else 403)
    if who == "other_manager":
        assert submitted.branch.name not in client.get("/review").get_data(as_text=True)


def test_edit_with_reason_is_logged_and_rescored(client, world, submitted, session):
    login(client, world.people.manager)
    assert submitted.score_overall == 100.0
    response = client.post(f"/review/{submitted.id}/answer", data={
        "code": "P2.1", "value": "no", "reason": "Photo shows nobody at the door",
        "revision": submitted.revision})
    assert response.status_code == 302
    session.refresh(submitted)
    assert submitted.critical_fail is True
    assert submitted.score_overall == 0.0  # care protocol: critical fail policy "zero"
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "edit_answer")).one()
    assert (entry.field, entry.old_value, entry.new_value, entry.reason, entry.actor_id) == (
        "P2.1", {"value": True, "na": False}, {"value": False, "na": False},
        "Photo shows nobody at the door", world.people.manager.id)


def test_edit_without_reason_changes_nothing(client, world, submitted, session):
    login(client, world.people.manager)
    response = client.post(f"/review/{submitted.id}/answer", data={
        "code": "P2.1", "value": "no", "reason": "", "revision": submitted.revision})
    assert response.status_code == 422
    session.refresh(submitted)
    assert submitted.score_overall == 100.0


def test_second_reviewer_gets_a_conflict(client, app, world, submitted, session, make_user):
    colleague = make_user("quality_manager", brand=world.a.brand)
    opened_at = submitted.revision
    login(client, world.people.manager)
    client.post(f"/review/{submitted.id}/answer", data={
        "code": "P3.1", "value": "no", "reason": "first", "revision": opened_at})
    other = app.test_client()
    login(other, colleague)
    response = other.post(f"/review/{submitted.id}/answer", data={
        "code": "P3.1", "value": "yes", "reason": "second", "revision": opened_at},
        headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "Someone else changed this visit" in response.get_data(as_text=True)
    session.refresh(submitted)
    answer = next(a for a in submitted.answers if a.question.code == "P3.1")
    assert answer.value is False


def test_return_then_approve_flow(client, world, submitted, session, token_for):
    login(client, world.people.manager)
    missing = client.post(f"/review/{submitted.id}/return", data={
        "comment": "", "revision": submitted.revision})
    assert missing.status_code == 422
    response = client.post(f"/review/{submitted.id}/return", data={
        "comment": "Thêm ảnh tờ rơi", "revision": submitted.revision})
    assert response.status_code == 302
    session.refresh(submitted)
    assert submitted.status == "returned" and submitted.reviewer_comment == "Thêm ảnh tờ rơi"
    operations.submit(submitted, world.people.shopper)
    approve = client.post(f"/review/{submitted.id}/approve", data={"revision": submitted.revision})
    assert approve.status_code == 302
    session.refresh(submitted)
    assert submitted.status == "approved"
    owner = client.get(f"/api/v1/visits/{submitted.id}", headers=token_for(world.people.owner))
    assert owner.status_code == 200


def test_reviewer_sees_the_shoppers_comments_account_and_earlier_notes(client, world,
                                                                        submitted, session):
    """What the shopper wrote is what a reviewer checks the answers against."""
    answer = next(a for a in submitted.answers if a.question.code == "P3.1")
    answer.comment = "Nhân viên hỏi nhu cầu nhưng không lắng nghe."
    submitted.narrative = "Tôi đến lúc 10 giờ, cửa hàng đông khách."
    submitted.reviewer_comment = "Lần trước: thiếu ảnh quầy."
    session.commit()
    login(client, world.people.manager)
    html = client.get(f"/review/{submitted.id}", headers={"Accept-Language": "en"}
                      ).get_data(as_text=True)
    row = html[html.index('id="q-P3.1"'):]
    row = row[:row.index("</tr>")]
    assert "Nhân viên hỏi nhu cầu nhưng không lắng nghe." in row
    assert "The shopper's account" in html and "cửa hàng đông khách" in html
    assert "Reviewer's notes" in html and "Lần trước: thiếu ảnh quầy." in html


def _edit_form(html: str, code: str):
    from tests.pageform import forms_of

    return next(f for f in forms_of(html) if f.action.endswith("/answer")
                and any(c.name == "code" and c.value == code for c in f.controls))


def test_the_edit_offers_the_questions_own_input_and_shows_the_reason(client, world,
                                                                       submitted, session):
    """Defect 7: the edit was a free-text box expecting English codes ("có" was refused)."""
    login(client, world.people.manager)
    page = f"/review/{submitted.id}"
    html = client.get(page, headers={"Accept-Language": "vi"}).get_data(as_text=True)
    form = _edit_form(html, "P2.1")
    select_box = form.control("value")
    assert select_box.tag == "select" and [v for v, _s in select_box.options] == ["", "yes", "no"]
    assert form.selected("value") == "yes"  # the current answer
    response = client.post(form.action, data=form.data(
        {"value": "no", "reason": "Ảnh cho thấy không ai ở cửa"}))
    assert response.status_code == 302
    session.refresh(submitted)
    assert submitted.critical_fail is True
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert (f"Changed by {world.people.manager.name} on" in html
            and "Ảnh cho thấy không ai ở cửa" in html)


def test_a_refused_edit_keeps_the_typed_value_and_reason_at_the_field(client, world,
                                                                       submitted, session):
    scale = next(q for q in submitted.checklist_version.ordered_questions()
                 if q.kind == "number" and not q.condition)
    login(client, world.people.manager)
    page = f"/review/{submitted.id}"
    form = _edit_form(client.get(page).get_data(as_text=True), scale.code)
    assert form.control("value").tag == "input"
    before = submitted.score_overall
    refused = client.post(form.action, data=form.data({"value": "chín", "reason": "Đếm lại"}),
                          headers={"Accept-Language": "vi"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    again = _edit_form(html, scale.code)
    assert (again.control("value").value, again.control("reason").value) == ("chín", "Đếm lại")
    assert f'id="edit-{scale.code}" name="value" value="chín"' in html
    assert 'aria-invalid="true"' in html
    session.refresh(submitted)
    assert submitted.score_overall == before


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_edit_reason_reaches_the_owner_and_the_shopper_unnamed(client, world, submitted,
                                                                   session, lang):
    """Defect 16: a reviewer's reason was shown only on the review screen. The owner's
    visit page and the shopper's read-only visit show it beside the answer, naming "the
    quality team" (as the portal does for disputes), never the reviewer."""
    from audit.review import operations as review

    manager = world.people.manager
    review.edit_answer(submitted, "P2.1", "no", False, "Ảnh cho thấy không ai ở cửa", manager,
                       submitted.revision)
    review.approve(submitted, manager, submitted.revision)
    session.commit()
    unnamed = ("Changed by the quality team on" if lang == "en"
               else "Bộ phận chất lượng đổi ngày")
    for who, page, row_start in ((world.people.owner, f"/portal/visits/{submitted.id}",
                                  'id="q-P2.1"'),
                                 (world.people.shopper, f"/visits/{submitted.id}",
                                  'id="question-P2.1"')):
        login(client, who)
        html = client.get(page, headers={"Accept-Language": lang}).get_data(as_text=True)
        row = html[html.index(row_start):]
        row = row[:row.index("</tr>" if who is world.people.owner else "</fieldset>")]
        assert "Ảnh cho thấy không ai ở cửa" in row and unnamed in row
        assert manager.name not in html
        client.post("/logout")
