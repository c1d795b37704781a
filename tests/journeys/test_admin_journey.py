"""An admin at a desk: a new shopper account, a new password for it, then deactivated; the
person logs in with each password in turn and not once deactivated."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from audit.demo import data
from audit.models.auth import User
from tests.journeys.conftest import log_in, stored

pytestmark = pytest.mark.journey


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_admin_creates_resets_and_deactivates_an_account(journey, open_browser, guard, lang):
    email = f"moi.{uuid.uuid4().hex[:6]}@saomai.demo"
    first, second = "ngựa pin kẹp ghim đúng", "sông hồng chảy ra biển đông"
    page = open_browser(phone=False, lang=lang)
    log_in(page, journey, data.ADMIN[0])
    page.goto(journey.url("/people"))
    page.click("a[href='/people/new']")
    page.fill("input[name=email]", email)
    page.fill("input[name=name]", "Đặng Thị Mới")
    page.select_option("select[name=role]", "shopper")
    page.fill("input[name=password]", first)
    page.fill("input[name=confirm]", first)
    page.click("form.card [type=submit]")
    page.wait_for_selector(".flash-info")
    assert email in page.locator(".flash-info").inner_text()
    with stored(journey) as db:
        person = db.scalars(select(User).where(User.email == email)).one()
        assert (person.role, person.name, person.active) == ("shopper", "Đặng Thị Mới", True)

    shopper = open_browser(phone=True, lang=lang)
    log_in(shopper, journey, email, first)
    assert shopper.url == journey.url("/")

    page.fill("form[action$='/password'] input[name=pw-password]", second)
    page.fill("form[action$='/password'] input[name=pw-confirm]", second)
    page.click("form[action$='/password'] [type=submit]")
    page.wait_for_selector(".flash-info")
    shopper.goto(journey.url("/"))  # the old session ended with the new password
    assert "/login" in shopper.url
    log_in(shopper, journey, email, second)
    assert shopper.url == journey.url("/")

    page.uncheck("input[name=active]")
    page.click(f"form[action$='/people/{person.id}'] [type=submit]")
    page.wait_for_selector(".flash-info")
    with stored(journey) as db:
        assert db.get(User, person.id).active is False
    guard.expected.add((401, "/login"))
    later = open_browser(phone=True, lang=lang)
    later.goto(journey.url("/login"))
    later.fill("input[name=email]", email)
    later.fill("input[name=password]", second)
    later.click("main form[method=post]:has(input[name=password]) [type=submit]")
    later.wait_for_selector(".error, .flash-error")
    assert "/login" in later.url
