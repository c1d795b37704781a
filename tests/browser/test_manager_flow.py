"""A quality manager at desktop size: review a visit (edit with a reason, see the score
change, approve, the visit leaves the queue), a conflict between two reviewers, and the
comparison page (campaign and scope, ranking, heat map, radar branch switch)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.demo import data
from audit.extensions import db
from audit.models.visits import Answer, Visit

pytestmark = pytest.mark.browser
CONFLICT = "Người khác đã sửa lượt khảo sát này"


def manager_page(context, base):
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", data.MANAGER[0])
    page.fill("input[name=password]", data.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def submitted_visit_with_a_yes(live_app, skip=()) -> tuple[int, str]:
    """A submitted visit and a scored, unconditional yes/no question answered yes."""
    with live_app.app_context():
        visits = db.session.scalars(select(Visit).where(Visit.status == "submitted")
                                    .order_by(Visit.id)).all()
        for visit in visits:
            if visit.id in skip:
                continue
            scored = {q["code"] for q in visit.scores["questions"]
                      if q["status"] == "scored" and q["earned"] > 0}
            for answer in db.session.scalars(select(Answer).where(Answer.visit_id == visit.id)):
                q = answer.question
                if (q.kind == "yes_no" and answer.value is True and q.code in scored
                        and not q.critical and not q.no_passes and q.condition is None):
                    return visit.id, q.code
    raise AssertionError("the demo has no submitted visit to review")


def score_tile(page) -> str:
    return page.locator("ul.tiles li").first.locator(".value").inner_text()


def change_answer(page, code: str, value: str, reason: str) -> None:
    row = page.locator(f"tr[id='q-{code}']")
    row.locator("summary").click()
    field = row.locator("[name=value]")  # the question's own input (defect 7)
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)
    row.locator("input[name=reason]").fill(reason)
    row.locator("button[type=submit]").click()


def test_review_edit_with_reason_rescores_then_approve(live_app, live_server, desktop):
    visit_id, code = submitted_visit_with_a_yes(live_app)
    page = manager_page(desktop, live_server)
    page.goto(f"{live_server}/review")
    page.click(f"a[href='/review/{visit_id}']")
    page.wait_for_url(f"{live_server}/review/{visit_id}")
    before = score_tile(page)

    change_answer(page, code, "no", "Ảnh cho thấy quầy không có nhân viên")
    page.wait_for_selector(".flash-info")
    assert "Đã sửa câu trả lời và tính lại điểm." in page.locator(".flash-info").inner_text()
    assert score_tile(page) != before
    assert page.locator(f"tr[id='q-{code}']").get_attribute("class") == "failed"

    page.locator("section.decide input[type=submit]").first.click()
    page.wait_for_url(f"{live_server}/review")
    assert "Lượt khảo sát đã được công bố." in page.inner_text("body")
    assert page.locator(f"a[href='/review/{visit_id}']").count() == 0
    with live_app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert visit.status == "approved"


def test_two_reviewers_editing_the_same_visit_conflict(live_app, live_server, desktop,
                                                       browser):
    _, chromium = browser
    visit_id, code = submitted_visit_with_a_yes(live_app)
    first = manager_page(desktop, live_server)
    other_context = chromium.new_context(viewport={"width": 1366, "height": 900},
                                         locale="vi-VN")
    try:
        second = manager_page(other_context, live_server)
        for page in (first, second):
            page.goto(f"{live_server}/review/{visit_id}")
        change_answer(first, code, "no", "Người duyệt thứ nhất")
        first.wait_for_selector(".flash-info")
        change_answer(second, code, "yes", "Người duyệt thứ hai")
        second.wait_for_selector(".flash-error")
        assert CONFLICT in second.locator(".flash-error").inner_text()
        assert score_tile(second) == score_tile(first)  # the current version is shown
    finally:
        other_context.close()
    with live_app.app_context():
        answer = db.session.scalars(select(Answer).join(Answer.question).where(
            Answer.visit_id == visit_id)).all()
        assert next(a for a in answer if a.question.code == code).value is False


def test_comparison_page_scope_ranking_heatmap_and_radar(live_server, desktop):
    page = manager_page(desktop, live_server)
    page.goto(f"{live_server}/comparison")
    campaign = page.locator("#campaign option").first.get_attribute("value")
    page.select_option("#campaign", campaign)
    region = page.locator("#region option").nth(1)
    region_name = region.inner_text()
    page.select_option("#region", region.get_attribute("value"))
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**/comparison?campaign={campaign}&region=*")
    assert page.locator("#region option:checked").inner_text() == region_name

    ranking = page.locator("table.ranking tbody tr")
    assert ranking.count() >= 1 and page.locator("table.ranking").is_visible()
    assert page.locator(".heatmap svg").is_visible()
    assert page.locator(".heatmap svg rect").count() >= 5

    options = page.locator("#branch option")
    assert options.count() >= 2
    second = options.nth(1)
    name = second.inner_text().split(". ", 1)[1]
    page.select_option("#branch", second.get_attribute("value"))
    page.locator(".inline-form button[type=submit]").click()
    page.wait_for_url("**branch=*")
    assert name in page.locator(".radar svg title").text_content()
    assert f"region={region.get_attribute('value')}" in page.url  # the scope is kept
