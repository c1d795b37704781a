"""Shopper pages at phone size: no serious or critical axe-core violation, 44 px touch
targets, no horizontal scroll at 360 px, and a light visit form."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from audit.demo import data
from audit.extensions import db
from audit.models.auth import User
from audit.models.visits import Visit
from tests.browser.test_shopper_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def shopper_page(live_app, live_server, phone):
    page = phone.new_page()
    log_in(page, live_server)
    with live_app.app_context():
        shopper = db.session.scalars(select(User).where(User.email == data.SHOPPERS[0][0])).one()
        visit_id = db.session.scalars(select(Visit.id).where(
            Visit.shopper_id == shopper.id, Visit.status.in_(("assigned", "in_progress")))
        ).first()
    return page, visit_id


def serious(results) -> list[str]:
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_no_serious_violations_on_shopper_pages(shopper_page, live_server, browser):
    page, visit_id = shopper_page
    axe = Axe()
    for path in ("/", f"/visits/{visit_id}"):
        page.goto(live_server + path)
        assert serious(axe.run(page)) == [], path
    page.context.clear_cookies()
    page.goto(live_server + "/login")
    assert serious(axe.run(page)) == []


def test_touch_targets_and_no_horizontal_scroll_at_360px(shopper_page, live_server):
    page, visit_id = shopper_page
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server}/visits/{visit_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
        'label.choice, button, input[type=submit], .button'))
        .filter(e => e.offsetParent !== null)
        .map(e => e.getBoundingClientRect())
        .filter(r => r.height < 44 || r.width < 44).length""")
    assert small == 0


def test_visit_form_page_weight_under_150_kb(shopper_page, live_server):
    page, visit_id = shopper_page
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.request.method == "GET"
            and r.status == 200 else None)
    page.goto(f"{live_server}/visits/{visit_id}", wait_until="networkidle")
    assert 0 < sum(sizes) < 150 * 1024, sizes
