"""Dispute queue, resolution screen, targets and the comparison's gap section at desktop
size: no serious or critical axe-core violation; accepting a dispute in the browser."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from audit.demo import data
from audit.extensions import db
from audit.models.disputes import Dispute
from tests.browser.test_accessibility import serious

pytestmark = pytest.mark.browser


@pytest.fixture
def manager_page(browser, live_server):
    p, chromium = browser
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", data.MANAGER[0])
    page.fill("input[name=password]", data.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")
    try:
        yield page
    finally:
        context.close()


def _open_dispute(live_app) -> int:
    with live_app.app_context():
        return db.session.scalars(select(Dispute.id).where(Dispute.status == "open")
                                  .order_by(Dispute.id)).first()


def test_no_serious_violations(manager_page, live_server, live_app):
    axe = Axe()
    dispute_id = _open_dispute(live_app)
    for path in ("/disputes", "/disputes?status=all", f"/disputes/{dispute_id}", "/targets",
                 "/targets/new", "/comparison"):
        manager_page.goto(live_server + path)
        assert serious(axe.run(manager_page)) == [], path


def test_accept_a_dispute(manager_page, live_server, live_app):
    dispute_id = _open_dispute(live_app)
    manager_page.goto(f"{live_server}/disputes/{dispute_id}")
    manager_page.fill("textarea[name='accept-reason']", "Ảnh camera xác nhận ý kiến chủ cửa hàng.")
    manager_page.click("#accept-submit")
    manager_page.wait_for_url(f"{live_server}/disputes")
    assert "Đã chấp nhận khiếu nại" in manager_page.content()
    with live_app.app_context():
        assert db.session.get(Dispute, dispute_id).status == "accepted"


@pytest.mark.parametrize("path", ["/targets", "/targets/new", "/settings/weights", "/disputes"])
def test_pages_fit_a_phone(browser, live_server, path):
    """No sideways scrolling at 412 px: wide tables scroll inside their own box (their
    screen-reader-only text too, which once stretched the targets page to 1115 px)."""
    p, chromium = browser
    context = chromium.new_context(viewport={"width": 412, "height": 915}, is_mobile=True,
                                   locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        page.fill("input[name=email]", data.MANAGER[0])
        page.fill("input[name=password]", data.PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server}/")
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 412
    finally:
        context.close()
