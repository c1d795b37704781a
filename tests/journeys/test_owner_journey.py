"""A franchise owner on a phone (vi) and at a desk (en): portal, a published visit that never
names the shopper, a dispute confirmed where it was made, a corrective action moved to done
with a photo of the fix, and both PDFs downloaded and read."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from audit.demo import data
from audit.models.actions import CorrectiveAction
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.orgs import Branch
from audit.models.visits import Visit
from tests.journeys.conftest import log_in, screenshot, stored
from tests.journeys.shopper import photo

pytestmark = pytest.mark.journey
SHOPPER_NAMES = [name for _email, name in data.SHOPPERS]
SENT = {"vi": "Khiếu nại của bạn đã được gửi tới bộ phận chất lượng.",
        "en": "Your dispute is sent to the quality team."}


def _pdf_text(raw: bytes) -> str:
    assert raw.startswith(b"%PDF")
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(raw)).pages)


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def _owner_scope(journey, email: str):
    with stored(journey) as db:
        owner = db.scalars(select(User).where(User.email == email)).one()
        branch = db.scalars(select(Branch).where(Branch.franchisee_id == owner.franchisee_id)
                            .order_by(Branch.id)).first()
        visit = db.scalars(select(Visit).where(Visit.branch_id == branch.id,
                                               Visit.status == "approved")
                           .order_by(Visit.visited_at.desc())).first()
        action = db.scalars(select(CorrectiveAction).where(
            CorrectiveAction.branch_id.in_(select(Branch.id).where(
                Branch.franchisee_id == owner.franchisee_id)),
            CorrectiveAction.status.in_(("open", "in_progress")))
            .order_by(CorrectiveAction.id)).first()
        return (branch.id, branch.name, owner.franchisee.name, visit.id,
                action.id if action else None)


@pytest.mark.parametrize(("email", "lang", "phone"), [
    ("owner.minhphat@saomai.demo", "vi", True), ("owner.binhan@saomai.demo", "en", False)])
def test_an_owner_reads_disputes_fixes_and_downloads(journey, open_browser, email, lang, phone):
    branch_id, branch_name, franchisee, visit_id, action_id = _owner_scope(journey, email)
    page = open_browser(phone=phone, lang=lang)
    log_in(page, journey, email)
    comparison = _pdf_text(_download(page, page.locator(
        f"a[href*='comparison.pdf'][href*='lang={lang}']")))
    assert franchisee in comparison and not any(n in comparison for n in SHOPPER_NAMES)
    page.click(f"a[href='/portal/branches/{branch_id}']")
    page.wait_for_url(journey.url(f"/portal/branches/{branch_id}"))

    page.click(f"a[href='/portal/visits/{visit_id}']")
    page.wait_for_url(journey.url(f"/portal/visits/{visit_id}"))
    body = page.inner_text("body")
    assert not any(name in body for name in SHOPPER_NAMES)
    report = _pdf_text(_download(page, page.locator(
        f"a[href*='/reports/visits/{visit_id}.pdf'][href*='lang={lang}']")))
    assert branch_name in report and not any(n in report for n in SHOPPER_NAMES)

    row = page.locator("tr:has(details.dispute-form)").first
    code = row.get_attribute("id").removeprefix("q-")
    row.locator("details.dispute-form summary").click()
    row.locator("textarea[name=comment]").fill("Hôm đó quầy có biển hướng dẫn, xem camera.")
    row.locator("form button[type=submit]").click()
    confirmation = page.locator("#dispute-sent")
    confirmation.wait_for()
    assert confirmation.inner_text() == SENT[lang]
    box, view = confirmation.bounding_box(), page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= view["height"]  # on screen
    screenshot(page, f"owner-{lang}-dispute-sent")
    with stored(journey) as db:
        dispute = db.scalars(select(Dispute).where(Dispute.visit_id == visit_id)
                             .order_by(Dispute.id.desc())).first()
        assert dispute.status == "open" and dispute.question.code == code

    assert action_id is not None, "the demo gives each owner actions to work on"
    page.goto(journey.url(f"/actions/{action_id}"))
    page.set_input_files("input[type=file][name=file]", files=[{
        "name": "sua.jpg", "mimeType": "image/jpeg", "buffer": photo(size=(1600, 1200))}])
    page.fill("input[name=caption]", "Đã dán biển hướng dẫn")
    page.locator("form.upload [type=submit]").click()
    page.wait_for_selector("ul.photo-list img")
    page.fill("textarea[name=note]", "Đã sửa")
    page.click("button[name=target][value=done]")
    page.wait_for_url(journey.url(f"/actions/{action_id}"))
    screenshot(page, f"owner-{lang}-action-done")
    with stored(journey) as db:
        action = db.get(CorrectiveAction, action_id)
        assert action.status == "done" and len(action.photos) == 1
        assert action.photos[0].caption == "Đã dán biển hướng dẫn"
