"""Fixtures for the reports: a published, scored visit with comments and a photo for the PDFs;
fake report kinds for the library (the real renderers register themselves)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from audit import access
from audit.evidence.operations import add_photo
from audit.extensions import db
from audit.models.reports import Report
from audit.reports import registry
from audit.review import operations as review
from audit.visits import operations
from tests.support import jpeg, perfect_answers

HOSTILE = '<img src="http://127.0.0.1:9/leak.png"> Chào anh, Đồng cảm'


def pdf_text(data: bytes) -> str:
    """All the PDF's text, page by page."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def fill(visit, shopper, *, fail_code: str | None = None, comment: str = "") -> None:
    """Answer every plain question so it passes (one failing if asked)."""
    items = perfect_answers(visit, failing=(fail_code,), comments={"P1.1": comment})
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


class FakeRenderer:
    """Renders small bytes, reports progress, applies the user's scope like a real kind,
    and remembers the progress the row showed while it rendered."""

    def __init__(self) -> None:
        self.seen_progress: list[int] = []

    def __call__(self, user, params, lang, progress) -> bytes:
        if "visit" in params:
            access.visit_for(user, params["visit"])  # OutOfScope out of scope
        if "campaign" in params:
            access.get_in_scope(access.campaigns_query(user), access.Campaign, params["campaign"])
        progress(30)
        progress(60)
        self.seen_progress.append(db.session.scalar(
            select(Report.progress).order_by(Report.id.desc()).limit(1)))
        return f"%PDF-fake {lang} {sorted(params.items())}".encode()


def _broken(user, params, lang, progress) -> bytes:
    progress(10)
    raise RuntimeError("renderer exploded")


@pytest.fixture
def fake_kinds(monkeypatch):
    """Register fake "visit", "comparison", "plain" (no params) and "broken" kinds for one test."""
    renderer = FakeRenderer()
    monkeypatch.setattr("audit.reports.operations.PROGRESS_INTERVAL", 0)
    saved = dict(registry.KINDS)
    for name in ("visit", "comparison", "plain"):
        registry.register(registry.ReportKind(name, renderer))
    registry.register(registry.ReportKind("broken", _broken))
    try:
        yield renderer
    finally:
        registry.KINDS.clear()
        registry.KINDS.update(saved)


def score_visit(visit, shopper, comment: str = "ok") -> None:
    """Answer every plain question perfectly and submit (scores stored)."""
    operations.save_answers(visit, perfect_answers(visit, text=comment, comments=comment),
                            shopper)
    operations.submit(visit, shopper)
