"""The pure assignment rules: balance, never twice in a row, visits nobody may take."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.campaigns.assignment import OpenVisit, due_windows, may_take, plan_assignment

D = date(2026, 3, 1)


def visits(*branches: int) -> list[OpenVisit]:
    return [OpenVisit(id=i + 1, branch_id=b, due_from=D) for i, b in enumerate(branches)]


def test_least_loaded_first_with_lowest_id_on_ties():
    plan = plan_assignment(visits(10, 11, 12, 13), loads={7: 2, 5: 0, 6: 0}, last_shopper={})
    # 5 and 6 start at 0 (5 wins the tie), then 6; both at 1 -> 5 again; then 6 (1) is the
    # least loaded. Shopper 7 (2) never gets one.
    assert plan.assigned == {1: 5, 2: 6, 3: 5, 4: 6}
    assert plan.unassigned == []
    assert plan.loads == {5: 2, 6: 2, 7: 2}


def test_never_the_previous_shopper_of_the_branch():
    plan = plan_assignment(visits(10, 11), loads={1: 0, 2: 5}, last_shopper={10: 1})
    assert plan.assigned == {1: 2, 2: 1}


def test_visits_of_one_branch_in_one_run_alternate():
    plan = plan_assignment(visits(10, 10, 10), loads={1: 0, 2: 3}, last_shopper={})
    assert plan.assigned == {1: 1, 2: 2, 3: 1}


def test_no_eligible_shopper_leaves_the_visit_open():
    plan = plan_assignment(visits(10, 11), loads={1: 0}, last_shopper={10: 1})
    assert plan.assigned == {2: 1}
    assert plan.unassigned == [1]


def test_no_shoppers_at_all():
    plan = plan_assignment(visits(10), loads={}, last_shopper={})
    assert plan.assigned == {} and plan.unassigned == [1]


def test_cap_limits_open_assignments():
    plan = plan_assignment(visits(10, 11, 12), loads={1: 4, 2: 5}, last_shopper={}, cap=5)
    assert plan.assigned == {1: 1}
    assert plan.unassigned == [2, 3]


def test_earliest_due_first_then_branch_then_id():
    late = OpenVisit(id=1, branch_id=10, due_from=D + timedelta(days=5))
    early = OpenVisit(id=2, branch_id=11, due_from=D)
    plan = plan_assignment([late, early], loads={1: 0, 2: 0}, last_shopper={})
    assert plan.assigned == {2: 1, 1: 2}


def test_may_take():
    assert may_take(1, 10, {10: 2})
    assert not may_take(2, 10, {10: 2})
    assert may_take(2, 11, {10: 2})


def test_due_windows_split_the_period_evenly():
    assert due_windows(D, D + timedelta(days=29), 1) == [(D, D + timedelta(days=29))]
    assert due_windows(D, D + timedelta(days=29), 3) == [
        (D, D + timedelta(days=9)),
        (D + timedelta(days=10), D + timedelta(days=19)),
        (D + timedelta(days=20), D + timedelta(days=29)),
    ]
    # 2 days for 3 visits: no empty window, every window inside the period.
    assert due_windows(D, D + timedelta(days=1), 3) == [
        (D, D), (D, D), (D + timedelta(days=1), D + timedelta(days=1))]


@settings(max_examples=200, deadline=None)
@given(
    branches=st.lists(st.integers(1, 6), max_size=30),
    loads=st.dictionaries(st.integers(1, 5), st.integers(0, 4), max_size=5),
    last=st.dictionaries(st.integers(1, 6), st.integers(1, 5), max_size=6),
)
def test_properties(branches, loads, last):
    plan = plan_assignment(visits(*branches), loads, last)
    assert sorted([*plan.assigned, *plan.unassigned]) == list(range(1, len(branches) + 1))
    # Replaying the visits in the plan's order, nobody follows themselves at a branch.
    previous = dict(last)
    for visit in sorted(visits(*branches), key=lambda v: (v.due_from, v.branch_id, v.id)):
        shopper = plan.assigned.get(visit.id)
        if shopper is not None:
            assert previous.get(visit.branch_id) != shopper
            previous[visit.branch_id] = shopper
    if len(loads) >= 2:
        assert plan.unassigned == []
    assert sum(plan.loads.values()) == sum(loads.values()) + len(plan.assigned)


@settings(max_examples=100, deadline=None)
@given(count=st.integers(1, 40), shoppers=st.integers(1, 6))
def test_balanced_when_nothing_is_excluded(count, shoppers):
    plan = plan_assignment([OpenVisit(i, 100 + i, D) for i in range(count)],
                           {s: 0 for s in range(shoppers)}, {})
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1


@given(start=st.dates(), days=st.integers(0, 400), count=st.integers(1, 12))
def test_windows_stay_inside_the_period(start, days, count):
    end = start + timedelta(days=days) if start.toordinal() + days <= date.max.toordinal() \
        else start
    windows = due_windows(start, end, count)
    assert len(windows) == count
    for a, b in windows:
        assert start <= a <= b <= end
    assert windows[0][0] == start and windows[-1][1] == end
