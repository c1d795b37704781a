"""A shopper on a phone: My visits, open a visit, fill every kind of question (N/A, a
condition, a timer, a date typed by hand, a refused date kept at its field), a photo, lose
the connection and regain it, send, see the confirmation, reopen it read-only. Then the
server holds the typed date, every answer once and the photo with its capture time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from audit.models.auth import User
from audit.models.visits import Photo, Visit
from tests.journeys.conftest import log_in, screenshot, stored
from tests.journeys.shopper import fill_visible_questions, photo, type_date_by_hand

pytestmark = pytest.mark.journey

TEXT = {
    "vi": {"sent": "Cảm ơn bạn, báo cáo đã được gửi.", "offline": "Đã lưu trên điện thoại",
           "saved": "Đã lưu", "bad": "không đúng định dạng"},
    "en": {"sent": "Thank you, your report is sent.", "offline": "Saved on this phone",
           "saved": "All answers saved", "bad": "expected format"},
}


def _assigned_visit(journey, email: str) -> int:
    with stored(journey) as db:
        shopper = db.scalars(select(User).where(User.email == email)).one()
        return db.scalars(select(Visit.id).where(
            Visit.shopper_id == shopper.id, Visit.status == "assigned",
            Visit.channel == "phone").order_by(Visit.id)).first()


@pytest.mark.parametrize(("email", "lang", "callback"), [
    ("shopper1@saomai.demo", "vi", "yes"), ("shopper5@saomai.demo", "en", "no")])
def test_a_shopper_fills_and_sends_a_visit_on_a_phone(journey, open_browser, guard, email,
                                                       lang, callback):
    text = TEXT[lang]
    visit_id = _assigned_visit(journey, email)
    page = open_browser(phone=True, lang=lang)
    log_in(page, journey, email)
    assert page.locator(f"a[href='/visits/{visit_id}']").count() == 1  # My visits
    page.click(f"a[href='/visits/{visit_id}']")
    page.wait_for_selector("#visit-form[data-editable=true]")
    state = page.locator("#save-state")

    # A year typed one digit too long: refused, marked at its field, kept over a reload.
    guard.expected.add((422, f"/api/v1/visits/{visit_id}/answers"))
    type_date_by_hand(page, "#fact-called_on", 1, 12, "22026", lang)
    page.wait_for_selector("#save-state.error")
    called_on = page.locator("#fact-called_on").locator("xpath=..")
    assert text["bad"] in called_on.locator(".error").inner_text()
    page.reload()
    page.wait_for_selector("#fact-called_on[aria-invalid=true]")
    assert page.locator("#fact-called_on").input_value() == "22026-12-01"
    assert page.locator("#save-state.error").count() == 1
    screenshot(page, f"shopper-{lang}-refused-date")
    today = date.today()
    type_date_by_hand(page, "#fact-called_on", today.day, today.month, today.year, lang)
    page.fill("#fact-called_at", "09:40")
    page.dispatch_event("#fact-called_at", "change")
    page.fill("#fact-number_called", "028 3822 1234")
    page.dispatch_event("#fact-number_called", "change")
    page.wait_for_selector("#save-state.saved")
    assert page.locator("#fact-called_on[aria-invalid]").count() == 0

    # A photo from the camera: downscaled on the phone, its capture time kept.
    taken = datetime(2020, 1, 1, 10, 0)
    page.set_input_files("#photo-file", files=[{
        "name": "quay.jpg", "mimeType": "image/jpeg", "buffer": photo(taken)}])
    page.fill("#photo-caption", "Màn hình tổng đài")
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("#photo-list li[data-photo] form button")  # its delete button
    assert page.locator("#photo-count").inner_text() == "1"
    assert page.locator("#photo-caption").input_value() == ""

    # Half the answers, then the connection goes (a basement), then the rest.
    fill_visible_questions(page, choose={"CB1": callback, "RINGS": "3"}, na={"PH4.2"})
    page.wait_for_selector("#save-state.saved")
    page.context.set_offline(True)
    guard.offline = True
    page.locator("fieldset[data-code='PH2.1'] input[value=no]").check()
    page.wait_for_selector("#save-state.offline")
    assert text["offline"] in state.inner_text()
    page.context.set_offline(False)
    guard.offline = False
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#save-state.saved", timeout=20_000)
    assert text["saved"] in state.inner_text()
    shown = page.locator("fieldset.question:not([hidden]):not([data-kind=photo])").count()
    progress = page.locator("#progress-text")
    assert progress.inner_text() == progress.get_attribute("data-template").replace(
        "{done}", str(shown)).replace("{total}", str(shown))
    assert (page.locator("fieldset[data-code='CB2']").is_visible()) == (callback == "yes")
    progress_text = progress.inner_text()
    screenshot(page, f"shopper-{lang}-filled")

    page.locator("#submit-visit").click()
    page.wait_for_url(journey.url(f"/?sent={visit_id}"))
    assert page.locator(".flash").first.inner_text() == text["sent"]
    screenshot(page, f"shopper-{lang}-sent")

    page.goto(journey.url(f"/visits/{visit_id}"))  # reopened: read-only
    assert page.locator("#submit-visit").count() == 0
    assert page.locator("fieldset.question input:not([disabled])").count() == 0
    assert page.locator("#progress-text").inner_text() == progress_text  # from the server

    with stored(journey) as db:
        visit = db.get(Visit, visit_id)
        assert visit.status == "submitted"
        assert visit.visited_on == today and visit.local_time("visited_at") == "09:40"
        assert visit.facts["number_called"] == "028 3822 1234"
        answers = {a.question.code: a for a in visit.answers}
        assert answers["RINGS"].value == 3 and answers["PH4.2"].na is True
        assert answers["PH2.1"].value is False  # typed while offline
        assert answers["HOLD"].value >= 1  # the timer ran a second
        assert ("CB2" in answers) == (callback == "yes")
        (kept,) = db.scalars(select(Photo).where(Photo.visit_id == visit_id)).all()
        assert max(kept.width, kept.height) <= 2048 and kept.caption == "Màn hình tổng đài"
        # The camera's time survived the phone's downscale (read in the browser, defect 6).
        assert kept.captured_at is not None
        assert abs(kept.captured_at.replace(tzinfo=None) - taken) < timedelta(hours=14)
        assert "outside_window" in kept.flags
