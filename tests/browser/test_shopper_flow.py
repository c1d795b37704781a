"""A shopper on a phone: answer, photo, lose the connection, answer more, come back, submit.
Then the server holds every answer once and the photo."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from audit.demo import data
from audit.extensions import db
from audit.models.auth import User
from audit.models.visits import Answer, Photo, Visit

pytestmark = pytest.mark.browser


def log_in(page, base):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", data.SHOPPERS[0][0])
    page.fill("input[name=password]", data.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/")


def answer_visible_questions(page, start=0, stop=None):
    """Answer the visible questions in order; returns how many were answered."""
    fieldsets = page.locator("fieldset.question:not([hidden])")
    answered, i = 0, start
    while i < fieldsets.count() and (stop is None or i < stop):  # answers may reveal more
        fieldset = fieldsets.nth(i)
        i += 1
        kind = fieldset.get_attribute("data-kind")
        if kind in ("yes_no", "scale", "choice"):
            fieldset.locator("label.choice:not(.na)").first.click()
        elif kind == "number":
            fieldset.locator("input[name^='q-']").fill("2")
            fieldset.locator("input[name^='q-']").dispatch_event("change")
        elif kind == "text":
            fieldset.locator("textarea").fill("Nhân viên nữ, áo xanh")
            fieldset.locator("textarea").dispatch_event("change")
        else:
            continue
        answered += 1
    return answered


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (30, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_offline_answers_reach_the_server_and_submit_once(live_app, live_server, phone):
    with live_app.app_context():
        shopper = db.session.scalars(select(User).where(User.email == data.SHOPPERS[0][0])).one()
        visit_id = db.session.scalars(select(Visit.id).where(
            Visit.shopper_id == shopper.id, Visit.status == "assigned")).first()
    page = phone.new_page()
    statuses = []  # every API answer the page's script got: the photo's bump causes no 409
    # (on the context: the outbox's requests pass through the service worker, which the
    # page's own events do not report)
    phone.on("response", lambda r: statuses.append(r.status) if "/api/v1/" in r.url else None)
    log_in(page, live_server)
    page.goto(f"{live_server}/visits/{visit_id}")
    state = page.locator("#save-state")

    answer_visible_questions(page, 0, 3)
    page.wait_for_selector("#save-state.saved")
    with live_app.app_context():
        saved_revision = db.session.get(Visit, visit_id).revision

    page.set_input_files("#photo-file", files=[{"name": "quay.jpg", "mimeType": "image/jpeg",
                                                "buffer": photo_bytes()}])
    page.fill("#photo-caption", "Quầy giao dịch")
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("#photo-list li[data-photo] img")
    assert page.locator("#visit-revision").input_value() == str(saved_revision + 1)
    with live_app.app_context():
        assert db.session.get(Visit, visit_id).revision == saved_revision + 1

    phone.set_offline(True)
    answer_visible_questions(page, 3)
    page.wait_for_selector("#save-state.offline")
    assert state.inner_text() == "Đã lưu trên điện thoại, chưa gửi được"

    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#save-state.saved", timeout=15000)

    page.locator("#submit-visit").dblclick()  # a double tap
    page.wait_for_url(f"{live_server}/?sent={visit_id}", timeout=15000)
    assert page.locator(".flash").first.inner_text() == "Cảm ơn bạn, báo cáo đã được gửi."

    assert 409 not in statuses and 201 in statuses, statuses
    with live_app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.status == "submitted"
        codes = db.session.scalars(select(Answer.question_id).where(
            Answer.visit_id == visit_id)).all()
        assert len(codes) == len(set(codes))
        answerable = [q for q in visit.checklist_version.ordered_questions()
                      if q.kind != "photo"]
        hidden = {r["code"] for r in visit.scores["questions"] if r["status"] == "hidden"}
        assert len(codes) == len([q for q in answerable if q.code not in hidden])
        photos = db.session.scalar(select(func.count()).select_from(Photo).where(
            Photo.visit_id == visit_id))
        assert photos == 1
        stored = db.session.scalars(select(Photo).where(Photo.visit_id == visit_id)).one()
        assert max(stored.width, stored.height) <= 2048
        assert stored.caption == "Quầy giao dịch"
