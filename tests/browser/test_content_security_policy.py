"""Key pages under the strict Content-Security-Policy: no violation reported by Chromium
(no inline script or style blocked), no script error, while the pages' scripts run: the
shopper's visit form, the checklist editor and preview, the campaign form, the report
library, the comparison charts and the change-password page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.demo import data
from audit.extensions import db
from audit.models.auth import User
from audit.models.checklists import ChecklistVersion
from audit.models.visits import Visit
from tests.browser.test_shopper_flow import answer_visible_questions

pytestmark = pytest.mark.browser

# Runs before any page script (injected by the browser's DevTools, not subject to the CSP).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':'
  + e.lineNumber));
"""


class Watch:
    """Console messages about the CSP, script errors and violation events of one page."""

    def __init__(self, context):
        context.add_init_script(RECORD_VIOLATIONS)
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message) -> None:
        # Chromium words every blocked inline script, style or load "Refused to ... because
        # it violates the following Content Security Policy directive ..."
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def check(self, where: str) -> None:
        events = self.page.evaluate("window.__csp || []")
        assert (self.problems, events) == ([], []), where

    def log_in(self, base: str, email: str) -> None:
        self.page.goto(f"{base}/login")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", data.PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(f"{base}/")
        self.check("/login")


def test_csp_header_is_on_the_live_pages(live_server, desktop):
    response = desktop.new_page().goto(f"{live_server}/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "style-src 'self'" in response.headers["content-security-policy"]


def test_shopper_pages_without_violation(live_app, live_server, phone):
    with live_app.app_context():
        shopper = db.session.scalars(select(User).where(User.email == data.SHOPPERS[0][0])).one()
        visit_id = db.session.scalars(select(Visit.id).where(
            Visit.shopper_id == shopper.id, Visit.status == "assigned")).first()
    watch = Watch(phone)
    watch.log_in(live_server, shopper.email)
    page = watch.page
    page.goto(f"{live_server}/visits/{visit_id}")
    assert answer_visible_questions(page, 0, 3) > 0
    page.wait_for_selector("#save-state.saved")
    watch.check("visit form")
    for path in ("/jobs", "/account/password"):
        page.goto(live_server + path)
        watch.check(path)


def test_manager_pages_without_violation(live_app, live_server, desktop):
    with live_app.app_context():
        version_id = db.session.scalars(select(ChecklistVersion.id).where(
            ChecklistVersion.published_at.is_not(None)).order_by(ChecklistVersion.id)).first()
        visit_id = db.session.scalars(select(Visit.id).where(Visit.status == "submitted")
                                      .order_by(Visit.id)).first()
    watch = Watch(desktop)
    watch.log_in(live_server, data.MANAGER[0])
    page = watch.page
    for path in ("/", "/review", f"/review/{visit_id}", "/comparison", "/reports",
                 "/campaigns", "/checklists", f"/checklists/versions/{version_id}/preview",
                 "/orgs/branches", "/targets", "/actions", "/settings/weights"):
        page.goto(live_server + path)
        watch.check(path)
    assert page.goto(f"{live_server}/comparison").ok
    assert page.locator("svg[role=img]").count() >= 2
    page.goto(f"{live_server}/campaigns/new")
    page.locator("input[type=checkbox]").first.click()  # campaign-branches.js counts them
    watch.check("/campaigns/new")
    # the checklist editor: start a draft and open a question
    page.goto(f"{live_server}/checklists/versions/{version_id}")
    page.locator(f"form[action$='/versions/{version_id}/draft'] button").click()
    page.wait_for_load_state()
    page.locator("a[href*='/checklists/questions/']").first.click()
    page.wait_for_load_state()
    assert "/checklists/questions/" in page.url
    page.locator("select[name=kind]").select_option("choice")
    watch.check("question editor")


def test_owner_pages_without_violation(live_app, live_server, desktop):
    watch = Watch(desktop)
    watch.log_in(live_server, data.OWNERS[0][0])
    page = watch.page
    page.goto(f"{live_server}/portal")
    watch.check("/portal")
    page.locator("a[href*='/portal/branches/']").first.click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img]").count() >= 1
    watch.check(page.url)
