"""A shopper with no signal, on a phone whose browser keeps its profile on disk:

1. My visits opened online; then offline, the browser restarted, the visit form opened from
   the phone's cache, every question answered, two photos attached (one a 4000x3000 camera
   picture taken outside the visit window), the page reloaded, the report sent, the browser
   closed and opened again online: the server holds every answer and both photos exactly
   once, the visit is submitted, the photo is stored at most 2048 px with its capture time
   and the flag, and My visits says the report is sent;
2. the connection drops in the middle of a photo upload (the server stored it, the answer
   never arrived): the retry finds the same photo, stored once;
3. check-in with the position inside and outside the campaign's radius, and with the
   permission denied.
"""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import func, select

from audit.models.auth import User
from audit.models.visits import Answer, Photo, Visit
from tests.journeys.conftest import log_in, screenshot, stored
from tests.journeys.shopper import fill_visible_questions, photo
from tests.journeys.test_every_page import _serious

pytestmark = pytest.mark.journey

TEXT = {
    "vi": {"sent": "Cảm ơn bạn, báo cáo đã được gửi.", "kept": "đã lưu trên điện thoại",
           "queued": "Báo cáo đã lưu trên điện thoại", "waiting": "Trên điện thoại, chưa gửi",
           "denied": "vị trí không được cho phép"},
    "en": {"sent": "Thank you, your report is sent.", "kept": "saved on this phone",
           "queued": "Report kept on this phone", "waiting": "On this phone, not sent yet",
           "denied": "the location was not allowed"},
}


def _visits(journey, email: str, statuses=("assigned",)) -> list[int]:
    """The shopper's visits in these statuses (not started yet: none has an answer)."""
    with stored(journey) as db:
        shopper = db.scalars(select(User).where(User.email == email)).one()
        return list(db.scalars(select(Visit.id).where(
            Visit.shopper_id == shopper.id, Visit.status.in_(statuses)).order_by(Visit.id)))


def _wait_cached(page, paths: list[str]) -> None:
    """Until the service worker has kept these pages (it fetches them after My visits)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kept = page.evaluate("caches.open('pages').then(c => c.keys())"
                             ".then(k => k.map(r => new URL(r.url).pathname))")
        if all(path in kept for path in paths):
            return
        page.wait_for_timeout(300)
    raise AssertionError(f"not kept for offline use: {paths} (kept {kept})")


def _wait_kept_text(page, path: str, text: str) -> None:
    """Until the copy the worker keeps of `path` holds `text` (it fetches it again each
    time My visits is opened online)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kept = page.evaluate("p => caches.open('pages').then(c => c.match(p))"
                             ".then(r => r ? r.text() : '')", path)
        if text in kept:
            return
        page.wait_for_timeout(300)
    raise AssertionError(f"the kept copy of {path} is stale")


def _photos_of(journey, visit_id: int) -> list[Photo]:
    with stored(journey) as db:
        return list(db.scalars(select(Photo).where(Photo.visit_id == visit_id)
                               .order_by(Photo.id)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_visit_filled_and_sent_with_no_signal(journey, phone_profile, guard, lang):
    """The demo's shopper1 has four visits not started: this takes the last ones (the
    shopper journey takes the first)."""
    text = TEXT[lang]
    email = "shopper1@saomai.demo"
    visit_id = _visits(journey, email)[-1]
    page = phone_profile(lang)
    log_in(page, journey, email)
    page.goto(journey.url("/"))
    _wait_cached(page, ["/", f"/visits/{visit_id}"])
    # The brief changes on the server; My visits opened online again keeps the new page.
    brief = f"Hỏi giá gói trả góp 0 % ({lang})"
    with stored(journey) as db:
        visit = db.get(Visit, visit_id)
        visit.campaign.scenario = {"vi": brief, "en": brief}
        db.commit()
    page.goto(journey.url("/"))
    _wait_kept_text(page, f"/visits/{visit_id}", brief)

    # The basement: no network, the browser restarted, the form opened from the phone.
    guard.offline = True
    page = phone_profile(lang, offline=True)
    axe = Axe()
    page.goto(journey.url("/"))
    assert page.locator(f"a[href='/visits/{visit_id}']").count() == 1
    assert _serious(axe.run(page)) == []
    page.goto(journey.url(f"/visits/{visit_id}"))
    page.wait_for_selector("#visit-form[data-editable=true]")
    assert page.locator("html").get_attribute("lang") == lang
    assert brief in page.locator(".visit-head").inner_text()  # not the stale copy
    answered = fill_visible_questions(page)
    expect(page.locator("#outbox")).to_contain_text(text["kept"])
    taken = datetime(2020, 1, 1, 10, 0)  # long before the visit window
    for name, when, size in (("quay.jpg", taken, (4000, 3000)), ("bien.jpg", None, (1600, 1200))):
        page.set_input_files("#photo-file", files=[{
            "name": name, "mimeType": "image/jpeg", "buffer": photo(when, size=size)}])
        page.fill("#photo-caption", name)
        page.click("#photo-form button[type=submit]")
        page.wait_for_selector(f"#photo-list li.pending img[alt='{name}']")
    assert text["waiting"] in page.locator("#photo-list li.pending").first.inner_text()
    assert _serious(axe.run(page)) == []  # the form offline, its outbox line and photos
    page.goto(journey.url("/reports"))  # never kept: the offline page, not the browser's
    assert "No connection" in page.locator("main").inner_text()
    page.goto(journey.url(f"/visits/{visit_id}"))
    page.wait_for_selector("#photo-list li.pending >> nth=1")

    # A reload, still offline: everything is still there.
    page.reload()
    page.wait_for_selector("#photo-list li.pending >> nth=1")
    expect(page.locator("#progress")).to_have_js_property("value", answered)
    screenshot(page, f"offline-{lang}-form")
    page.locator("#submit-visit").click()
    page.wait_for_selector("#save-state.queued")
    assert text["queued"] in page.locator("#save-state").inner_text()
    with stored(journey) as db:
        assert db.get(Visit, visit_id).status in ("assigned", "in_progress")

    # Out of the basement: the browser opened again, online, on My visits.
    guard.offline = False
    page = phone_profile(lang)
    page.goto(journey.url("/"))
    page.wait_for_url(journey.url(f"/?sent={visit_id}"), timeout=60_000)
    assert page.locator(".flash").first.inner_text() == text["sent"]
    screenshot(page, f"offline-{lang}-sent")

    with stored(journey) as db:
        visit = db.get(Visit, visit_id)
        assert visit.status == "submitted"
        count = db.scalar(select(func.count()).select_from(Answer)
                          .where(Answer.visit_id == visit_id))
        assert count == answered
        assert all(a.device_first_at is not None for a in visit.answers)
    # Logging out leaves nothing of the visits on the phone.
    page.click("#logout-form [type=submit]")
    page.wait_for_url("**/login")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))") == []

    photos = _photos_of(journey, visit_id)
    assert sorted(p.caption for p in photos) == ["bien.jpg", "quay.jpg"]  # each once
    camera = next(p for p in photos if p.caption == "quay.jpg")
    assert max(camera.width, camera.height) <= 2048
    assert camera.capture_source == "browser" and "outside_window" in camera.flags
    assert camera.captured_at.replace(tzinfo=None) == taken


def test_a_photo_upload_cut_off_midway_is_stored_once(journey, phone_profile, guard):
    email = "shopper6@saomai.demo"
    visit_id = _visits(journey, email, ("assigned", "in_progress", "returned"))[0]
    page = phone_profile("en")
    log_in(page, journey, email)
    calls = []

    def cut_the_first(route):  # noqa: ANN001
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fetch()  # the server stores it ...
            route.abort("internetdisconnected")  # ... and its answer is lost
        else:
            route.continue_()

    page.context.route("**/api/v1/visits/*/photos", cut_the_first)
    guard.offline = True  # the cut request fails on purpose
    page.goto(journey.url(f"/visits/{visit_id}"))
    page.set_input_files("#photo-file", files=[{
        "name": "a.jpg", "mimeType": "image/jpeg", "buffer": photo(None, size=(1200, 900))}])
    page.fill("#photo-caption", "cut-off")
    page.click("#photo-form button[type=submit]")
    page.wait_for_selector("#photo-list li[data-photo] form button", timeout=60_000)
    assert page.locator("#photo-list li.pending").count() == 0
    assert len(calls) >= 2
    assert [p.caption for p in _photos_of(journey, visit_id)].count("cut-off") == 1


@pytest.fixture
def check_in_visit(journey):
    """A visit in person for shopper5 (the demo's open visits are all phone calls), in the
    in-person campaign asking for a check-in within 300 m of a branch at Hoàn Kiếm lake;
    all put back after."""
    from audit.models.campaigns import Campaign
    from audit.models.orgs import Branch

    with stored(journey) as db:
        shopper = db.scalars(select(User).where(User.email == "shopper5@saomai.demo")).one()
        campaign = db.scalars(select(Campaign).where(Campaign.channel == "in_person")
                              .order_by(Campaign.id)).first()
        branch = campaign.branches[0]
        before = (branch.latitude, branch.longitude)
        campaign.check_in, campaign.check_in_radius_m = True, 300
        branch.latitude, branch.longitude = 21.0288, 105.8525
        visit = Visit(campaign=campaign, branch=branch, shopper=shopper, status="assigned",
                      checklist_version=campaign.checklist_version, channel="in_person",
                      due_from=campaign.starts_on, due_until=campaign.ends_on)
        db.add(visit)
        db.commit()
        visit_id, campaign_id, branch_id = visit.id, campaign.id, branch.id
    yield visit_id
    with stored(journey) as db:  # the other journeys see the demo as it was
        db.delete(db.get(Visit, visit_id))
        db.get(Campaign, campaign_id).check_in = False
        branch = db.get(Branch, branch_id)
        branch.latitude, branch.longitude = before
        db.commit()


@pytest.mark.parametrize(("where", "status"), [
    ({"latitude": 21.0295, "longitude": 105.8530}, "inside"),
    ({"latitude": 21.0245, "longitude": 105.8577}, "outside"),
    (None, "denied"),
])
def test_check_in_on_arrival(journey, open_browser, check_in_visit, where, status):
    from audit.models.visits import CheckIn

    page = open_browser(phone=True, lang="en")
    context = page.context
    if where is not None:
        context.grant_permissions(["geolocation"], origin=journey.base)
        context.set_geolocation({**where, "accuracy": 15})
    log_in(page, journey, "shopper5@saomai.demo")
    page.goto(journey.url(f"/visits/{check_in_visit}"))
    page.wait_for_selector("#check-in:not([hidden])")
    page.click("#check-in-button")
    if where is None:  # (a string predicate would be evaluated in the page: the CSP says no)
        expect(page.locator("#check-in-state")).to_contain_text("not allowed")
    deadline = time.monotonic() + 30
    row = None
    while time.monotonic() < deadline and row is None:
        with stored(journey) as db:
            found = db.scalars(select(CheckIn).where(CheckIn.visit_id == check_in_visit)).first()
            if found is not None and found.status == status:
                row = (found.status, found.distance_m, found.latitude)
        page.wait_for_timeout(300)
    assert row is not None, f"no {status} check-in stored"
    if status == "denied":
        assert row[1] is None and row[2] is None
        assert TEXT["en"]["denied"] in page.locator("#check-in-state").inner_text()
    else:
        assert (row[1] <= 300) == (status == "inside")
    screenshot(page, f"check-in-{status}")
