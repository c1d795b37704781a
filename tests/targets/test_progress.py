"""The pure progress arithmetic: mean, gap, branches meeting a target, met/not yet/missed."""

from __future__ import annotations

from datetime import date

import pytest

from audit.targets.progress import CampaignRef, Goal, choose_campaign, measure

DUE = date(2026, 6, 30)


def goal(**kw):
    fields = {"metric": "empathy", "value": 85.0, "due_on": DUE,
              "branch_ids": frozenset({1, 2, 3})} | kw
    return Goal(**fields)


def test_mean_gap_and_branch_count():
    campaign = CampaignRef(7, date(2026, 4, 1), frozenset({1, 2, 3, 4}))
    values = {1: [90.0, 80.0], 2: [70.0, None], 3: [], 4: [10.0]}  # 4 is out of scope
    result = measure(goal(), campaign, values, today=date(2026, 5, 1))
    # visits in scope: 90, 80, 70 -> mean 80, n 3; gap 80 - 85 = -5
    assert (result.current, result.n, result.gap) == (pytest.approx(80.0), 3, pytest.approx(-5))
    # branch means: 1 -> 85 (meets: at least the value), 2 -> 70, 3 -> none
    assert (result.branches_meeting, result.branches_measured, result.branches_total) == (1, 2, 3)
    assert result.status == "not_yet" and result.campaign_id == 7


@pytest.mark.parametrize(("today", "every", "status"), [
    (date(2026, 6, 30), False, "not_yet"),   # due today: still time
    (date(2026, 7, 1), False, "missed"),
    (date(2026, 7, 1), True, "missed"),
])
def test_missed_after_the_due_date(today, every, status):
    campaign = CampaignRef(1, date(2026, 4, 1), frozenset({1, 2, 3}))
    result = measure(goal(every_branch=every), campaign, {1: [84.9]}, today)
    assert result.status == status


def test_every_branch_needs_each_branch_of_the_campaign():
    campaign = CampaignRef(1, date(2026, 4, 1), frozenset({1, 2}))
    values = {1: [100.0], 2: [85.0]}
    assert measure(goal(), campaign, values, date(2026, 5, 1)).status == "met"
    assert measure(goal(every_branch=True), campaign, values, date(2026, 5, 1)).status == "met"
    values[2] = [84.0, 86.0, 80.0]  # branch 2: 83.33; all visits: (100+84+86+80) / 4 = 87.5
    assert measure(goal(), campaign, values, date(2026, 5, 1)).status == "met"
    assert measure(goal(every_branch=True), campaign, values,
                   date(2026, 5, 1)).status == "not_yet"
    unmeasured = CampaignRef(1, date(2026, 4, 1), frozenset({1, 2, 3}))  # 3 has no visit
    assert measure(goal(every_branch=True), unmeasured, {1: [90.0], 2: [90.0]},
                   date(2026, 5, 1)).status == "not_yet"


def test_no_campaign_means_no_value():
    result = measure(goal(), None, {}, date(2026, 5, 1))
    assert (result.current, result.n, result.gap, result.campaign_id) == (None, 0, None, None)
    assert result.status == "not_yet"


def test_latest_campaign_started_by_the_due_date_with_a_score_in_scope():
    old = CampaignRef(1, date(2026, 1, 5), frozenset({1, 2, 3}))
    spring = CampaignRef(2, date(2026, 4, 1), frozenset({1, 2, 3}))
    late = CampaignRef(3, date(2026, 7, 1), frozenset({1, 2, 3}))  # starts after the due date
    other = CampaignRef(4, date(2026, 5, 1), frozenset({9}))  # nothing in scope scored
    scored = {1: {1}, 2: {2}, 3: {1}, 4: {9}}
    assert choose_campaign(goal(), [old, spring, late, other], scored) is spring
    assert choose_campaign(goal(), [old, spring, late], {1: {1}, 3: {1}}) is old
    assert choose_campaign(goal(), [late], scored) is None
