"""Manager pages at desktop size: no serious or critical axe-core violation on the review
queue, the review screen, the comparison page and the brand settings."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from audit.extensions import db
from audit.models.visits import Visit
from tests.browser.test_accessibility import serious
from tests.browser.test_manager_flow import manager_page

pytestmark = pytest.mark.browser


def test_no_serious_violations_on_manager_pages(live_app, live_server, desktop):
    with live_app.app_context():
        visit_id = db.session.scalars(select(Visit.id).where(Visit.status == "submitted")
                                      .order_by(Visit.id.desc())).first()
    page = manager_page(desktop, live_server)
    axe = Axe()
    for path in ("/review", f"/review/{visit_id}", "/comparison", "/settings/weights"):
        page.goto(live_server + path)
        page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
        assert serious(axe.run(page)) == [], path
