"""A published visit made 30 months ago with everything the retention purge removes: answer
comments, a staff description, the narrative, the reviewer's notes, photos, a decided
dispute, a closed corrective action with a comment and a photo, and a stored report."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import current_app

from audit.actions import operations as actions
from audit.core.clock import utcnow
from audit.disputes import operations as disputes
from audit.evidence.operations import add_photo
from audit.models.reports import Report
from audit.privacy.rules import months_before
from audit.review import operations as review
from audit.storage import storage_for
from audit.visits import operations
from tests.support import jpeg

STAFF_TEXT = "Chị Lan, bảng tên Lan, áo xanh"  # no quotes: pages escape them
COMMENT = "Nhân viên nói chuyện điện thoại riêng"
SCORE_FIELDS = ("score_overall", "servqual_index", "critical_fail", "scores",
                *(f"score_{d}" for d in ("tangibles", "reliability", "responsiveness",
                                         "assurance", "empathy")),
                *(f"score_step_{s}" for s in range(1, 6)))


def answer_items(visit, fail: str = "P1.4") -> list[dict]:
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.condition or q.kind == "photo":
            continue
        value = {"yes_no": not q.no_passes, "number": 45, "text": STAFF_TEXT,
                 "choice": "solved"}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value) - 1
        if q.code == fail:
            value = q.no_passes
        item = {"question": q.code, "value": value}
        if q.code in ("P1.1", "P2.1"):
            item["comment"] = COMMENT
        items.append(item)
    return items


def snapshot(visit) -> dict:
    """The visit's stored scores, every field."""
    return {name: getattr(visit, name) for name in SCORE_FIELDS}


@pytest.fixture
def aged(world, make_visit, session):
    """Build a published visit made `months` ago at the owner's branch (see the module).
    Brand B keeps everything (retention 0), so a purge reports brand A only."""
    world.b.brand.retention_months = 0

    def make(months: int = 30, *, shopper=None, with_extras: bool = True):
        people = world.people
        shopper = shopper or people.shopper
        brand = world.a.brand
        brand.capture_staff_names = True  # recorded while the brand captured them
        visit = make_visit(branch=world.a.branches[0], shopper=shopper)
        operations.save_answers(visit, answer_items(visit), shopper,
                                facts={"visited_on": "2024-01-05",
                                       "staff_description": STAFF_TEXT})
        photo = add_photo(visit, jpeg(), question_code="P1.2", caption="Quầy của chị Lan",
                          actor=shopper)
        operations.submit(visit, shopper)
        review.return_visit(visit, "Ghi rõ tên chị Lan", people.manager, visit.revision)
        operations.submit(visit, shopper)
        visit.narrative = "Tôi hỏi mua điện thoại, chị Lan tư vấn."
        visit.reviewer_comment = "Ghi chú của người duyệt về chị Lan"
        review.approve(visit, people.manager, visit.revision)
        extras = SimpleNamespace()
        if with_extras:
            dispute = disputes.open_dispute(visit, "P1.4", "Chị Lan có làm việc này",
                                            people.owner, proposed_value=True)
            disputes.reject(dispute, "Ảnh không cho thấy điều đó", people.manager,
                            visit.revision)
            action = actions.raise_action(branch=visit.branch, actor=people.manager,
                                          severity="minor", visit=visit,
                                          question_code="P1.4")
            actions.add_comment(action, "Đã nhắc chị Lan", people.manager)
            action_photo = actions.add_photo(action, jpeg(colour=(10, 200, 10)), "Quầy mới",
                                             people.manager)
            actions.move(action, "done", people.manager)
            report = Report(kind="visit", params={"visit": visit.id}, lang="vi",
                            brand_id=brand.id, requested_by_id=people.manager.id,
                            status="done", storage_key=f"reports/test-{visit.id}.pdf")
            storage_for(current_app).put(report.storage_key, b"%PDF-1.7 test")
            session.add(report)
            extras = SimpleNamespace(dispute=dispute, action=action, report=report,
                                     action_photo=action_photo)
        made = months_before(utcnow(), months)
        visit.visited_at = made
        visit.submitted_at = made + timedelta(hours=2)
        if with_extras:
            extras.action.created_at = extras.action.done_at = made + timedelta(days=3)
            extras.report.created_at = made + timedelta(days=4)
        brand.capture_staff_names = False  # the brand switched it off later (the default)
        session.commit()
        session.refresh(visit)
        return SimpleNamespace(visit=visit, photo=photo, **vars(extras))

    return make
