"""A small published world for the portal: visits at the owner's branch, the other
franchisee's branch and an unowned branch of brand A, and one visit not yet published."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from audit.review import operations as review
from audit.visits import operations
from tests.support import perfect_answers


@pytest.fixture
def portal(world, make_visit, session):
    """mine (branch 0, 20 or so passes), theirs (branch 1), unowned (branch 2), draft
    (branch 0, submitted only), each by the shopper "Nguyễn Bí Mật" except theirs."""

    def visit(branch, overrides, shopper=None, publish=True):
        shopper = shopper or world.people.shopper
        found = make_visit(branch=branch, shopper=shopper)
        operations.save_answers(found, perfect_answers(found, overrides), shopper)
        operations.submit(found, shopper)
        if publish:
            review.approve(found, world.people.manager, found.revision)
        return found

    a = world.a.branches
    result = SimpleNamespace(
        mine=visit(a[0], {"P3.1": False}),
        theirs=visit(a[1], {"P3.2": False, "P4.4": "not_solved"},
                     shopper=world.people.other_shopper),
        unowned=visit(a[2], {}),
        draft=visit(a[0], {"P2.1": False}, publish=False),
    )
    session.commit()
    return result
