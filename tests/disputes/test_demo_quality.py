"""The demo data set carries a few disputes (open and decided) and targets to look at."""

from __future__ import annotations

from sqlalchemy import select

from audit.demo.generator import load
from audit.models.disputes import Dispute
from audit.models.targets import Target


def test_demo_has_disputes_and_targets(session, app):
    load(seed=7)
    disputes = session.scalars(select(Dispute)).all()
    assert {d.status for d in disputes} == {"open", "rejected"}
    for dispute in disputes:
        assert dispute.visit.status == "approved"
        assert dispute.visit.branch.franchisee_id == dispute.opened_by.franchisee_id
    assert len(session.scalars(select(Target)).all()) == 4
