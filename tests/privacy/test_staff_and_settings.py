"""Staff names and call recordings per brand, the data-protection settings, and the pure
retention rules."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.disputes import Dispute
from audit.models.visits import Answer
from audit.privacy.rules import (
    blankable_text_codes,
    is_staff_question,
    months_before,
    retention_cutoff,
)
from audit.reports.visit_report import visit_html
from tests.privacy.conftest import STAFF_TEXT
from tests.support import login


@pytest.mark.parametrize(("moment", "months", "expected"), [
    (datetime(2026, 3, 31, 8, tzinfo=UTC), 1, datetime(2026, 2, 28, 8, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), 24, datetime(2024, 1, 15, tzinfo=UTC)),
    (datetime(2024, 2, 29, tzinfo=UTC), 12, datetime(2023, 2, 28, tzinfo=UTC)),
    (datetime(2026, 5, 10, tzinfo=UTC), 17, datetime(2024, 12, 10, tzinfo=UTC)),
])
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_retention_zero_or_empty_keeps():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert retention_cutoff(now, 0) is None and retention_cutoff(now, None) is None
    assert retention_cutoff(now, 6) == datetime(2025, 12, 1, tzinfo=UTC)


def test_staff_questions_and_blankable_text():
    assert is_staff_question("STAFF", "text") and is_staff_question("staff_name", "text")
    assert not is_staff_question("STAFF", "yes_no") and not is_staff_question("P2.1", "text")
    q = lambda code, kind, condition=None: SimpleNamespace(  # noqa: E731
        code=code, kind=kind, condition=condition)
    questions = [q("NOTE", "text"), q("WHY", "text"), q("P1", "yes_no", {"question": "WHY"})]
    assert blankable_text_codes(questions) == {"NOTE"}  # WHY decides whether P1 counts


def _in_person_form(client, visit, lang="en") -> str:
    return client.get(f"/visits/{visit.id}", headers={"Accept-Language": lang}).get_data(
        as_text=True)


def test_shopper_form_asks_about_staff_only_when_the_brand_records_it(client, world,
                                                                      make_visit, session):
    visit = make_visit()
    login(client, world.people.shopper)
    off = _in_person_form(client, visit)
    assert 'data-code="STAFF"' not in off and 'name="fact-staff_description"' not in off
    assert 'data-code="WAIT"' in off and 'name="fact-time_in"' in off
    world.a.brand.capture_staff_names = True
    session.commit()
    on = _in_person_form(client, visit)
    assert 'data-code="STAFF"' in on and 'name="fact-staff_description"' in on


def test_staff_details_sent_anyway_are_not_stored(client, world, make_visit, session,
                                                  token_for):
    visit = make_visit()
    headers = token_for(world.people.shopper, "vi")
    response = client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers, json={
        "answers": [{"question": "STAFF", "value": STAFF_TEXT},
                    {"question": "P1.1", "value": True}],
        "facts": {"staff_description": STAFF_TEXT, "time_in": "09:30"}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    message = "Không lưu: thương hiệu này không ghi nhận tên hay mô tả nhân viên."
    assert body["ignored"] == {"STAFF": message, "fact:staff_description": message}
    session.refresh(visit)
    assert visit.facts == {"time_in": "09:30"}
    assert [a.question.code for a in visit.answers] == ["P1.1"]
    login(client, world.people.shopper)
    page = client.post(f"/visits/{visit.id}", data={"fact-staff_description": STAFF_TEXT},
                       headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "does not record staff names" in page.get_data(as_text=True)
    session.refresh(visit)
    assert "staff_description" not in visit.facts


def test_stored_staff_names_are_shown_to_nobody_when_switched_off(client, world, aged,
                                                                  session, token_for):
    old = aged(3, with_extras=False)  # recorded while on, then switched off
    stored = session.scalar(select(Answer.value).where(
        Answer.visit_id == old.visit.id, Answer.question_id.in_(
            [q.id for q in old.visit.checklist_version.ordered_questions()
             if q.code == "STAFF"])))
    assert stored == STAFF_TEXT and old.visit.facts["staff_description"] == STAFF_TEXT
    login(client, world.people.owner)
    portal = client.get(f"/portal/visits/{old.visit.id}",
                        headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert STAFF_TEXT not in portal
    assert "Not shown: this brand does not record staff names." in portal
    assert STAFF_TEXT not in visit_html(world.people.owner, old.visit.id, "vi")
    assert STAFF_TEXT not in visit_html(world.people.manager, old.visit.id, "en")
    detail = client.get(f"/api/v1/visits/{old.visit.id}",
                        headers=token_for(world.people.manager)).get_json()
    assert STAFF_TEXT not in str(detail)
    client.post("/logout")
    login(client, world.people.manager)
    review = client.get(f"/review/{old.visit.id}").get_data(as_text=True)
    assert STAFF_TEXT not in review
    world.a.brand.capture_staff_names = True
    session.commit()
    assert STAFF_TEXT in visit_html(world.people.owner, old.visit.id, "vi")


def test_phone_form_tells_the_shopper_not_to_record(client, world, make_visit, session):
    phone = world.campaign(world.a, "phone-call-audit")
    visit = make_visit(campaign=phone)
    login(client, world.people.shopper)
    notice = "Do not record this call"
    assert notice in _in_person_form(client, visit)
    assert "Không ghi âm cuộc gọi này" in _in_person_form(client, visit, "vi")
    world.a.brand.allow_call_recordings = True
    session.commit()
    assert notice not in _in_person_form(client, visit)
    in_person = make_visit()
    world.a.brand.allow_call_recordings = False
    session.commit()
    assert notice not in _in_person_form(client, in_person)


def test_settings_page_saves_and_logs_privacy_settings(client, world, session):
    brand = world.a.brand
    assert (brand.retention_months, brand.capture_staff_names,
            brand.allow_call_recordings) == (24, False, False)
    login(client, world.people.manager)
    page = client.get("/settings/weights", headers={"Accept-Language": "vi"}).get_data(
        as_text=True)
    assert "Bảo vệ dữ liệu" in page and 'name="privacy-retention_months"' in page
    bad = client.post("/settings/privacy", data={"privacy-retention_months": "300"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 422
    assert "Give a number of months from 0 to 240." in bad.get_data(as_text=True)
    ok = client.post("/settings/privacy", data={
        "privacy-retention_months": "12", "privacy-capture_staff_names": "y"})
    assert ok.status_code == 302
    session.refresh(brand)
    assert (brand.retention_months, brand.capture_staff_names,
            brand.allow_call_recordings) == (12, True, False)
    [entry] = session.scalars(select(AuditLog).where(AuditLog.action == "privacy_settings"))
    assert entry.actor_id == world.people.manager.id
    assert entry.old_value == {"retention_months": 24, "capture_staff_names": False,
                               "allow_call_recordings": False}
    assert entry.new_value == {"retention_months": 12, "capture_staff_names": True,
                               "allow_call_recordings": False}
    client.post("/settings/privacy", data={"privacy-retention_months": "",
                                           "privacy-capture_staff_names": "y"})
    session.refresh(brand)
    assert brand.retention_months == 0  # empty keeps everything
    client.post("/settings/privacy", data={"privacy-retention_months": "0",
                                           "privacy-capture_staff_names": "y"})
    assert len(session.scalars(select(AuditLog).where(
        AuditLog.action == "privacy_settings")).all()) == 2  # no change, no entry


def test_owners_and_shoppers_cannot_change_privacy_settings(client, world):
    for person in (world.people.owner, world.people.shopper):
        client.post("/logout")
        login(client, person)
        assert client.post("/settings/privacy",
                           data={"privacy-retention_months": "1"}).status_code == 403


def test_owner_cannot_dispute_a_staff_answer_the_brand_does_not_show(client, world, aged,
                                                                     session, token_for):
    """The portal offers no dispute on a hidden staff answer; the API refuses it as if the
    visit had no such answer (saying more would confirm that one was recorded)."""
    old = aged(3, with_extras=False)
    url = f"/api/v1/visits/{old.visit.id}/disputes"
    body = {"question": "STAFF", "comment": "Không phải chị ấy."}
    response = client.post(url, json=body, headers={**token_for(world.people.owner),
                                                    "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["details"] == {
        "question": "This visit has no answer to that question."}
    assert session.scalar(select(Dispute.id).where(Dispute.visit_id == old.visit.id)) is None
    world.a.brand.capture_staff_names = True
    session.commit()
    shown = client.post(url, json=body, headers=token_for(world.people.owner))
    assert shown.status_code == 201
