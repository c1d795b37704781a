"""Every kind of the events renders its subject, text and HTML in Vietnamese and English
from the values its announcement stores (a broken template fails here, not in a send)."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale

from audit.models.notifications import Notification

EVENT_KINDS = (
    "visit_assigned",
    "visit_due_tomorrow",
    "visit_overdue",
    "board_new_jobs",
    "visit_submitted",
    "critical_fail",
    "dispute_opened",
    "dispute_resolved",
    "visit_published",
    "comparison_ready",
    "action_assigned",
    "action_due_soon",
    "action_overdue",
)

VISIT = {
    "visit_id": 7,
    "branch_code": "A00",
    "branch_name": "Chi nhánh Bến Thành",
    "brand_name": "Brand a",
    "campaign": {"en": "Wave 1", "vi": "Đợt 1"},
    "channel": "in_person",
    "due_from": "2026-12-01",
    "due_until": "2026-12-10",
    "visited_on": "2026-12-03",
    "score": 72.5,
    "critical_fail": True,
}
ACTION = {
    "action_id": 3,
    "branch_code": "A00",
    "branch_name": "Chi nhánh Bến Thành",
    "brand_name": "Brand a",
    "title": {"en": "Greet at once", "vi": "Chào ngay"},
    "question_code": "P2.1",
    "severity": "critical",
    "status": "open",
    "due_on": "2026-12-12",
}
EXTRA = {
    "critical_fail": {"failures": [{"code": "P2.1", "text": {"en": "Greeted", "vi": "Chào"}}]},
    "dispute_opened": {
        "question_code": "P3.2",
        "question": {"en": "Q", "vi": "Câu hỏi"},
        "comment": "<b>Sai</b>",
        "opened_by": "Chủ A",
        "dispute_id": 1,
    },
    "dispute_resolved": {
        "question_code": "P3.2",
        "question": {"en": "Q", "vi": "Câu hỏi"},
        "decision": "rejected",
        "reason": "Ảnh cho thấy không ai chào.",
        "dispute_id": 1,
    },
}
COMPARISON = {
    "campaign_id": 4,
    "campaign": {"en": "Wave 1", "vi": "Đợt 1"},
    "brand_name": "Brand a",
    "starts_on": "2026-11-01",
    "ends_on": "2026-11-30",
    "own_copy": True,
    "published_visits": 3,
}


def _context(kind: str) -> dict:
    if kind == "comparison_ready":
        return COMPARISON
    base = ACTION if kind.startswith("action_") else VISIT
    return {**base, **EXTRA.get(kind, {})}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_each_kind_renders_in_both_languages(app, world, kind, lang):
    ctx = _context(kind)
    n = Notification(user=world.people.manager, kind=kind, context=ctx, link="/x")
    values = {
        "recipient": world.people.manager,
        "n": n,
        "ctx": ctx,
        "link": "https://audit.example/x",
        "why": "WHY",
        "unsubscribe_url": "https://audit.example/u",
        "preferences_url": "https://p",
    }
    with app.app_context(), force_locale(lang):  # as the tick renders: no request
        subject = render_template(f"notifications/{kind}.subject.txt", **values).strip()
        text = render_template(f"notifications/{kind}.txt", **values)
        html = render_template(f"notifications/{kind}.html", **values)
    assert subject and "\n" not in subject
    for body in (text, html):
        assert "https://audit.example/x" in body and "WHY" in body
        assert ("Chi nhánh Bến Thành" in body) or ("Đợt 1" in body) or ("Wave 1" in body)
    greeting = "Xin chào" if lang == "vi" else "Hello"
    assert greeting in text and greeting in html
    if kind == "dispute_opened":
        assert "<b>Sai</b>" in text and "&lt;b&gt;Sai&lt;/b&gt;" in html  # escaped in HTML
    assert "{{" not in text + html and "%(" not in subject + text + html
