"""Exact values for aggregation, confidence intervals, ranks, gaps and KPI roll-ups."""

from __future__ import annotations

import math

import pytest

from audit.scoring import aggregate, gap, kpi_rollup, percentiles, rank, t_quantile


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


def test_moments_from_sql_sums_match_aggregate():
    from audit.scoring import Moments

    values = [100 * k / 23 for k in (3, 17, 17, 22, 9, 14)]
    sums = Moments.from_sums(len(values), sum(values), sum(v * v for v in values))
    want = aggregate(values)
    got = sums.summary()
    assert got.n == want.n and got.small_sample is want.small_sample
    for key in ("mean", "sd", "ci_low", "ci_high"):
        assert getattr(got, key) == pytest.approx(getattr(want, key), rel=1e-12)
    assert Moments.from_sums(0, None, None).summary() == aggregate([])
    assert Moments.from_sums(1, 42.5, 42.5 ** 2).summary() == aggregate([42.5])


def test_identical_scores_have_sd_zero_exactly_from_sums():
    from audit.scoring import Moments

    third = 100 / 3
    result = Moments.from_sums(3, 3 * third, 3 * third * third).summary()
    assert result.sd == 0.0 and result.ci_low == result.ci_high == result.mean


def test_moments_combine_like_the_union_of_their_visits():
    from audit.scoring import Moments

    a, b = [60.0, 70.0, 95.5], [12.5, 80.0]

    def of(values):
        return Moments.from_sums(len(values), sum(values), sum(v * v for v in values))

    combined = (of(a) + of(b) + Moments()).summary()
    want = aggregate(a + b)
    assert combined.n == 5
    assert combined.mean == pytest.approx(want.mean)
    assert combined.sd == pytest.approx(want.sd)
    assert combined.ci_low == pytest.approx(want.ci_low)


def test_kpi_summary_of_concatenated_values_equals_the_rollup():
    from audit.scoring import kpi_summary, kpi_values

    first = [{"nps": 10, "csat": 5, "wait_seconds": 20}, {"nps": 3, "fcr": False}]
    second = [{"nps": 8, "ces": 2, "fcr": True, "wait_seconds": 100}]
    parts = [kpi_values(first), kpi_values(second)]
    merged = {k: parts[0][k] + parts[1][k] for k in parts[0]}
    assert kpi_summary(merged) == kpi_rollup(first + second)


def test_percentiles_interpolate_between_closest_ranks():
    # sorted 50, 60, 70, 80, 90 (None ignored): P10 at position 0.4 -> 50 + 0.4*10 = 54,
    # P25 at 1 -> 60, P50 at 2 -> 70, P75 at 3 -> 80, P90 at 3.6 -> 80 + 0.6*10 = 86
    got = percentiles([90, None, 50, 70, 60, 80])
    assert got == pytest.approx({10: 54.0, 25: 60.0, 50: 70.0, 75: 80.0, 90: 86.0})
    assert percentiles([], (50,)) == {50: None}
    assert percentiles([42.5], (10, 90)) == {10: 42.5, 90: 42.5}


def test_percentiles_match_numpy():
    import numpy

    values = [12.5, 99.0, 47.25, 47.25, 63.0, 80.1, 5.0]
    got = percentiles(values, (0, 10, 33, 50, 90, 100))
    for p, v in got.items():
        assert v == pytest.approx(float(numpy.percentile(values, p)))
