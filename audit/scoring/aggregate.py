"""Aggregating visit scores: mean, n, sd, 95 % Student-t interval, shared ranks, gaps."""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from scipy.stats import t as student_t

K = TypeVar("K", bound=Hashable)
SMALL_SAMPLE = 3
ROUNDING = 4 * 2.0 ** -52  # a few units of float rounding per summed value


@dataclass(frozen=True)
class Aggregate:
    """Summary of the non-null scores of a group of visits (each visit weighs the same)."""

    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    small_sample: bool

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "mean": self.mean, "sd": self.sd, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "small_sample": self.small_sample}


@lru_cache(maxsize=4096)
def t_quantile(n: int) -> float:
    """t(0.975, n − 1), the two-sided 95 % critical value (cached: a comparison of 500
    branches asks for it thousands of times)."""
    return float(student_t.ppf(0.975, n - 1))


@dataclass(frozen=True)
class Moments:
    """n, mean and Σ(x − mean)² of a group's non-null scores, from what SQL sums per group.

    Groups combine exactly (Chan, Golub and LeVeque's pairwise update), so a brand or a
    region is summed from its branches without reading the visits again."""

    n: int = 0
    mean: float | None = None
    m2: float = 0.0

    @classmethod
    def from_sums(cls, n: int, total: float | None, total_sq: float | None) -> Moments:
        """From COUNT(x), SUM(x) and SUM(x·x): m2 = Σx² − (Σx)²/n. A result within the
        rounding noise of the sums is zero, so identical scores have sd 0 exactly."""
        if not n:
            return cls()
        total, total_sq = float(total or 0.0), float(total_sq or 0.0)
        m2 = total_sq - total * total / n
        if m2 <= ROUNDING * n * total_sq:
            m2 = 0.0
        return cls(n, total / n, m2)

    def __add__(self, other: Moments) -> Moments:
        return Moments.combine((self, other))

    @staticmethod
    def combine(parts: Iterable[Moments]) -> Moments:
        """The moments of several groups taken together (each visit weighs the same)."""
        n, mean, m2 = 0, 0.0, 0.0
        for part in parts:
            if not part.n:
                continue
            if not n:
                n, mean, m2 = part.n, part.mean, part.m2
                continue
            both = n + part.n
            delta = part.mean - mean
            mean += delta * part.n / both
            m2 += part.m2 + delta * delta * n * part.n / both
            n = both
        return Moments(n, mean, m2) if n else Moments()

    def summary(self) -> Aggregate:
        """The same summary `aggregate` gives for the values these moments describe."""
        if not self.n:
            return _summary(0, None, None)
        sd = math.sqrt(max(0.0, self.m2) / (self.n - 1)) if self.n > 1 else None
        return _summary(self.n, self.mean, sd)


def aggregate(values: Iterable[float | None]) -> Aggregate:
    """Mean, sample sd and the 95 % CI clipped to [0, 100]; n < 3 is a small sample."""
    scores = [float(v) for v in values if v is not None]
    n = len(scores)
    if n == 0:
        return _summary(0, None, None)
    return _summary(n, statistics.fmean(scores), statistics.stdev(scores) if n > 1 else None)


def _summary(n: int, mean: float | None, sd: float | None) -> Aggregate:
    """DESIGN.md §4: mean ± t(0.975, n − 1)·sd/√n where n ≥ 2, clipped to [0, 100]."""
    if mean is None:
        return Aggregate(0, None, None, None, None, True)
    if n == 1 or sd is None:
        return Aggregate(n, mean, None, None, None, True)
    half = t_quantile(n) * sd / math.sqrt(n)
    return Aggregate(
        n=n,
        mean=mean,
        sd=sd,
        ci_low=max(0.0, mean - half),
        ci_high=min(100.0, mean + half),
        small_sample=n < SMALL_SAMPLE,
    )


def rank(scores: Mapping[K, float | None]) -> dict[K, int | None]:
    """Competition ranks, higher is better, on unrounded values: 1, 2, 2, 4."""
    present = sorted((v for v in scores.values() if v is not None), reverse=True)
    first_position: dict[float, int] = {}
    for position, value in enumerate(present, start=1):
        first_position.setdefault(value, position)
    return {k: (None if v is None else first_position[v]) for k, v in scores.items()}


def gap(score: float | None, target: float | None) -> float | None:
    """Score − target (SERVQUAL's gap idea); None when either is missing."""
    if score is None or target is None:
        return None
    return score - target


PERCENTILES = (10, 25, 50, 75, 90)


def percentiles(values: Iterable[float | None],
                points: Iterable[int] = PERCENTILES) -> dict[int, float | None]:
    """The brand's distribution for owners, who see no other branch by name: percentiles of
    the non-null values by linear interpolation between closest ranks (NumPy's default,
    "type 7"); None for every point when there is no value."""
    data = sorted(v for v in values if v is not None)
    result: dict[int, float | None] = {}
    for p in points:
        if not data:
            result[p] = None
            continue
        position = (len(data) - 1) * p / 100
        low = int(position)
        high = min(low + 1, len(data) - 1)
        result[p] = data[low] + (data[high] - data[low]) * (position - low)
    return result
