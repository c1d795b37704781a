"""The demo data set's corrective actions come from the same operations as real use."""

from __future__ import annotations

from sqlalchemy import select

from audit.actions.demo import BY_HAND
from audit.demo.generator import load
from audit.models.actions import CorrectiveAction
from audit.models.visits import Visit


def test_demo_raises_actions_for_every_published_critical_fail(session, app):
    load(seed=7)
    failing = session.scalars(select(Visit).where(Visit.status == "approved",
                                                  Visit.critical_fail.is_(True))).all()
    rows = session.scalars(select(CorrectiveAction)).all()
    auto = {(a.visit_id, a.question_code) for a in rows if a.origin == "auto"}
    expected = {(v.id, code) for v in failing for code in v.scores["critical_failures"]}
    assert auto == expected and expected
    manual = [a for a in rows if a.origin == "manual"]
    assert sorted(a.status for a in manual) == sorted(plan[2] for plan in BY_HAND)
    assert all(a.visit.status == "approved" for a in rows)
