"""Roll-ups of the service KPIs over visits: NPS, CSAT, CES, FCR and waits."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from typing import Any


def _values(visits: list[Mapping[str, Any]], key: str) -> list[Any]:
    return [v.get(key) for v in visits if v.get(key) is not None]


def _share(values: list[Any], predicate) -> float | None:  # noqa: ANN001
    return 100.0 * sum(1 for v in values if predicate(v)) / len(values) if values else None


def kpi_rollup(visit_kpis: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """NPS = % promoters (9-10) − % detractors (0-6); CSAT = % of 4-5; CES mean; FCR % yes."""
    visits = list(visit_kpis)
    nps = _values(visits, "nps")
    csat = _values(visits, "csat")
    ces = _values(visits, "ces")
    fcr = _values(visits, "fcr")
    waits = [float(w) for w in _values(visits, "wait_seconds")]
    promoters = _share(nps, lambda v: v >= 9)
    detractors = _share(nps, lambda v: v <= 6)
    return {
        "nps": None if promoters is None else promoters - detractors,
        "nps_n": len(nps),
        "csat": _share(csat, lambda v: v >= 4),
        "csat_n": len(csat),
        "ces": statistics.fmean(ces) if ces else None,
        "ces_n": len(ces),
        "fcr": _share(fcr, bool),
        "fcr_n": len(fcr),
        "wait_seconds_median": statistics.median(waits) if waits else None,
        "wait_seconds_mean": statistics.fmean(waits) if waits else None,
        "wait_seconds_n": len(waits),
    }
