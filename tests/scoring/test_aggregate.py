"""Exact values for aggregation, confidence intervals, ranks, gaps and KPI roll-ups."""

from __future__ import annotations

import math

import pytest

from audit.scoring import aggregate, gap, kpi_rollup, rank, t_quantile


def test_t_quantiles_match_the_table():
    assert t_quantile(2) == pytest.approx(12.706204736174703)
    assert t_quantile(3) == pytest.approx(4.302652729911275)
    assert t_quantile(11) == pytest.approx(2.2281388519649385)


def test_aggregate_three_visits():
    result = aggregate([60, 70, 80])
    half = 4.302652729911275 * 10 / math.sqrt(3)  # t(0.975, 2) * sd / sqrt(n)
    assert (result.n, result.mean, result.sd) == (3, 70.0, 10.0)
    assert result.ci_low == pytest.approx(70 - half)
    assert result.ci_high == pytest.approx(70 + half)
    assert result.small_sample is False


def test_aggregate_ignores_nulls_and_clips_the_interval():
    result = aggregate([None, 70, 80, 90, None])
    assert result.n == 3 and result.mean == 80.0
    assert result.ci_low == pytest.approx(80 - 4.302652729911275 * 10 / math.sqrt(3))
    assert result.ci_high == 100.0  # 104.8 clipped
    low = aggregate([0, 10, 20])
    assert low.ci_low == 0.0


def test_aggregate_two_visits_is_a_small_sample_with_an_interval():
    result = aggregate([50, 70])
    sd = math.sqrt(200)  # ((50-60)^2 + (70-60)^2) / (2-1)
    assert result.sd == pytest.approx(sd)
    assert result.ci_low == 0.0  # 60 - 12.7062 * 14.142 / 1.414 = -67 -> 0
    assert result.ci_high == 100.0
    assert result.small_sample is True


def test_aggregate_one_and_none():
    one = aggregate([42.5])
    assert (one.n, one.mean, one.sd, one.ci_low, one.ci_high, one.small_sample) == (
        1, 42.5, None, None, None, True)
    empty = aggregate([None, None])
    assert (empty.n, empty.mean, empty.small_sample) == (0, None, True)


def test_aggregate_to_dict():
    assert aggregate([80, 80]).to_dict() == {"n": 2, "mean": 80.0, "sd": 0.0, "ci_low": 80.0,
                                            "ci_high": 80.0, "small_sample": True}


def test_ranks_share_ties_and_skip():
    assert rank({"a": 90, "b": 80, "c": 80, "d": 70}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert rank({"a": None, "b": 10}) == {"a": None, "b": 1}
    assert rank({}) == {}


def test_ranks_use_unrounded_values():
    # 80.04 and 80.01 both display as 80.0 but rank apart.
    assert rank({"a": 80.01, "b": 80.04}) == {"a": 2, "b": 1}


def test_gap_to_target():
    assert gap(82.5, 85) == pytest.approx(-2.5)
    assert gap(None, 85) is None
    assert gap(90, None) is None


def test_kpi_rollup_exact():
    visits = [
        {"nps": 10, "csat": 5, "ces": 2, "fcr": True, "wait_seconds": 30},
        {"nps": 9, "csat": 4, "ces": 3, "fcr": True, "wait_seconds": 90},
        {"nps": 8, "csat": 3, "ces": 5, "fcr": False, "wait_seconds": 10},
        {"nps": 6, "csat": 2, "ces": None, "fcr": None, "wait_seconds": None},
        {"nps": 0, "csat": None, "ces": None, "fcr": None, "wait_seconds": None},
    ]
    result = kpi_rollup(visits)
    assert result["nps"] == pytest.approx(40 - 40)  # 2 promoters, 2 detractors of 5
    assert result["nps_n"] == 5
    assert result["csat"] == pytest.approx(50.0)  # 2 of 4 are 4-5
    assert result["ces"] == pytest.approx(10 / 3)
    assert result["fcr"] == pytest.approx(200 / 3)
    assert result["wait_seconds_median"] == 30.0
    assert result["wait_seconds_mean"] == pytest.approx(130 / 3)
    assert result["wait_seconds_n"] == 3


def test_kpi_rollup_all_promoters_and_nothing():
    assert kpi_rollup([{"nps": 9}, {"nps": 10}])["nps"] == 100.0
    empty = kpi_rollup([])
    assert empty["nps"] is None and empty["csat"] is None and empty["ces"] is None
    assert empty["fcr"] is None and empty["wait_seconds_median"] is None
