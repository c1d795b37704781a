"""The franchise owner's portal on a phone (412 px) and a laptop (1366 px): no horizontal
page scroll, no serious axe-core violation, and a dispute opened from the visit page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from audit import access
from audit.demo import data
from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.visits import Visit
from tests.browser.test_accessibility import serious

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 412, "height": 915}, "laptop": {"width": 1366, "height": 900}}


def _owner_paths(live_app) -> list[str]:
    with live_app.app_context():
        owner = db.session.scalar(select(User).where(User.email == data.OWNERS[0][0]))
        visit = db.session.scalars(access.visits_query(owner).order_by(Visit.id)).first()
        return ["/", "/portal", f"/portal/branches/{visit.branch_id}",
                f"/portal/visits/{visit.id}", "/actions"]


@pytest.fixture(params=list(SIZES))
def owner_page(request, browser, live_server):
    _, chromium = browser
    context = chromium.new_context(viewport=SIZES[request.param], locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", data.OWNERS[0][0])
    page.fill("input[name=password]", data.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")
    try:
        yield page
    finally:
        context.close()


def test_no_horizontal_scroll_and_no_serious_violations(owner_page, live_server, live_app):
    axe = Axe()
    for path in _owner_paths(live_app):
        owner_page.goto(live_server + path)
        width = owner_page.evaluate("document.documentElement.scrollWidth")
        assert width <= owner_page.viewport_size["width"], (path, width)
        assert serious(axe.run(owner_page)) == [], path


def test_dispute_an_answer_in_the_browser(owner_page, live_server, live_app):
    path = _owner_paths(live_app)[3]
    owner_page.goto(live_server + path)
    row = owner_page.locator("tr:has(details.dispute-form)").first
    code = row.get_attribute("id").removeprefix("q-")
    row.locator("summary").click()
    row.locator("textarea[name=comment]").fill("Nhân viên đã làm đúng quy trình.")
    row.locator("button[type=submit]").click()
    owner_page.wait_for_load_state()
    assert "Khiếu nại của bạn đã được gửi" in owner_page.content()
    with live_app.app_context():
        visit_id = int(path.rsplit("/", 1)[1])
        found = db.session.scalars(select(Dispute).where(
            Dispute.visit_id == visit_id, Dispute.status == "open")).all()
        assert any(d.question.code == code for d in found)
