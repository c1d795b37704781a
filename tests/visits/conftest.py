"""A published visit seen by every role: answers with comments, a staff answer and staff
description, a photo, a reviewer's change with its reason, the shopper's account and the
reviewer's notes (the read model's tests)."""

from __future__ import annotations

import pytest

from audit.evidence.operations import add_photo
from audit.review import operations as review
from audit.visits import operations
from tests.privacy.conftest import STAFF_TEXT, answer_items
from tests.support import jpeg

EDIT_REASON = "Ảnh cho thấy quầy đã sạch"
NARRATIVE = "Tôi đến lúc 10 giờ, cửa hàng đông khách."
NOTES = "Nhân viên thân thiện; cần cải thiện thời gian chờ."


@pytest.fixture
def seen_visit(world, make_visit, session):
    """Build the published visit; `capture` is the brand's staff-name setting when read."""

    def make(capture: bool = True):
        people, brand = world.people, world.a.brand
        brand.capture_staff_names = True  # recorded while the brand captured them
        visit = make_visit(branch=world.a.branches[0])
        operations.save_answers(
            visit,
            answer_items(visit, fail="P1.4"),
            people.shopper,
            facts={
                "visited_on": "2026-01-05",
                "time_in": "10:00",
                "time_out": "10:40",
                "staff_description": STAFF_TEXT,
            },
        )
        add_photo(
            visit, jpeg(), question_code="P1.2", caption="Quầy trưng bày", actor=people.shopper
        )
        operations.submit(visit, people.shopper)
        review.edit_answer(visit, "P1.1", "no", False, EDIT_REASON, people.manager, visit.revision)
        visit.narrative, visit.reviewer_comment = NARRATIVE, NOTES
        review.approve(visit, people.manager, visit.revision)
        brand.capture_staff_names = capture
        session.flush()
        session.refresh(visit)
        return visit

    return make
