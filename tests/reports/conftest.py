"""Fake report kinds (the real PDF renderers are registered by their own modules) and a
scored visit builder."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit import access
from audit.extensions import db
from audit.reports import registry
from audit.reports.models import Report
from audit.visits import operations


class FakeRenderer:
    """Renders small bytes, reports progress, applies the user's scope like a real kind,
    and remembers the progress the row showed while it rendered."""

    def __init__(self) -> None:
        self.seen_progress: list[int] = []

    def __call__(self, user, params, lang, progress) -> bytes:
        if "visit" in params:
            access.visit_for(user, params["visit"])  # NotFound out of scope
        if "campaign" in params:
            access.get_or_404(access.campaigns_query(user), access.Campaign, params["campaign"])
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
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.condition or q.kind == "photo":
            continue
        value = {"yes_no": not q.no_passes, "number": 5, "text": comment,
                 "choice": "solved"}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value)
        items.append({"question": q.code, "value": value, "comment": comment})
    operations.save_answers(visit, items, shopper)
    operations.submit(visit, shopper)
