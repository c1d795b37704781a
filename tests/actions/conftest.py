"""Builders for corrective-action tests: answered visits, approval, actions."""

from __future__ import annotations

import pytest

from audit.actions import operations as actions
from audit.review import operations as review
from audit.visits import operations
from tests.support import perfect_answers


@pytest.fixture
def reported(world, make_visit):
    """A submitted care-protocol visit with some answers overridden (P2.1 no = critical
    fail, P2.6 yes = critical fail, P3.1 no = an ordinary fail)."""

    def make(overrides=None, branch=None, shopper=None):
        visit = make_visit(branch=branch, shopper=shopper)
        shopper = shopper or world.people.shopper
        operations.save_answers(visit, perfect_answers(visit, overrides), shopper)
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
