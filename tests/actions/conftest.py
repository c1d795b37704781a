"""Builders for corrective-action tests: answered visits, approval, actions."""

from __future__ import annotations

import pytest

from audit.actions import operations as actions
from audit.review import operations as review
from audit.visits import operations


def answer_all(visit, overrides=None):
    """Answer every care-protocol question with a passing value, except `overrides`."""
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.condition or q.kind == "photo":
            continue
        value = {"yes_no": not q.no_passes, "number": 5, "text": "ok",
                 "choice": "solved"}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value)
        items.append({"question": q.code, "value": (overrides or {}).get(q.code, value)})
    return items


@pytest.fixture
def reported(world, make_visit):
    """A submitted care-protocol visit with some answers overridden (P2.1 no = critical
    fail, P2.6 yes = critical fail, P3.1 no = an ordinary fail)."""

    def make(overrides=None, branch=None, shopper=None):
        visit = make_visit(branch=branch, shopper=shopper)
        shopper = shopper or world.people.shopper
        operations.save_answers(visit, answer_all(visit, overrides), shopper)
        operations.submit(visit, shopper)
        return visit

    return make


@pytest.fixture
def published(reported, world):
    """A visit submitted, then approved by brand A's manager."""

    def make(overrides=None, branch=None, shopper=None):
        visit = reported(overrides, branch=branch, shopper=shopper)
        review.approve(visit, world.people.manager, visit.revision)
        return visit

    return make


@pytest.fixture
def action(world, published):
    """A critical action raised automatically on branch 0 (owned by franchisee A)."""
    return actions.existing_for(published({"P2.1": False}), "P2.1")
