"""Aggregating visit scores: mean, n, sd, 95 % Student-t interval, shared ranks, gaps."""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from scipy.stats import t as student_t

K = TypeVar("K", bound=Hashable)
SMALL_SAMPLE = 3


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
        return asdict(self)


def t_quantile(n: int) -> float:
    """t(0.975, n − 1), the two-sided 95 % critical value."""
    return float(student_t.ppf(0.975, n - 1))


def aggregate(values: Iterable[float | None]) -> Aggregate:
    """Mean, sample sd and the 95 % CI clipped to [0, 100]; n < 3 is a small sample."""
    scores = [float(v) for v in values if v is not None]
    n = len(scores)
    if n == 0:
        return Aggregate(0, None, None, None, None, True)
    mean = statistics.fmean(scores)
    if n == 1:
        return Aggregate(1, mean, None, None, None, True)
    sd = statistics.stdev(scores)
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
