"""Fixtures for the PDF reports: a published, scored visit with comments and a photo."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from audit.evidence.operations import add_photo
from audit.review import operations as review
from audit.visits import operations

HOSTILE = '<img src="http://127.0.0.1:9/leak.png"> Chào anh, Đồng cảm'


def pdf_text(data: bytes) -> str:
    """All the PDF's text, page by page."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def jpeg(colour=(120, 160, 200), size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def fill(visit, shopper, *, fail_code: str | None = None, comment: str = "") -> None:
    """Answer every plain question so it passes (one failing if asked)."""
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.condition or q.kind == "photo":
            continue
        value = {"yes_no": not q.no_passes, "number": 5, "text": "ok",
                 "choice": "solved"}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value)
        if q.code == fail_code and q.kind == "yes_no":
            value = q.no_passes
        item = {"question": q.code, "value": value}
        if q.code == "P1.1" and comment:
            item["comment"] = comment
        items.append(item)
    operations.save_answers(visit, items, shopper)


@pytest.fixture
def published(world, make_visit, session):
    """A scored visit at the owner's branch, published, with a hostile comment and a photo."""
    visit = make_visit(branch=world.a.branches[0])
    fill(visit, world.people.shopper, fail_code="P1.4", comment=HOSTILE)
    add_photo(visit, jpeg(), question_code="P1.2", caption="Quầy <b>trưng bày</b>",
              actor=world.people.shopper)
    operations.submit(visit, world.people.shopper)
    visit.reviewer_comment = "Nhân viên thân thiện; cần cải thiện thời gian chờ."
    review.approve(visit, world.people.manager, visit.revision)
    session.refresh(visit)
    return visit
