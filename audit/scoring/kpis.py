"""Roll-ups of the service KPIs over visits: NPS, CSAT, CES, FCR and waits."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from typing import Any

from audit.vocabulary import KPIS


def _values(visits: list[Mapping[str, Any]], key: str) -> list[Any]:
    return [v.get(key) for v in visits if v.get(key) is not None]


def _share(values: list[Any], predicate) -> float | None:  # noqa: ANN001
    return 100.0 * sum(1 for v in values if predicate(v)) / len(values) if values else None


def kpi_values(visit_kpis: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The non-null values of each KPI over visits (what `kpi_summary` rolls up)."""
    visits = list(visit_kpis)
    return {key: _values(visits, key) for key in KPIS}


def kpi_rollup(visit_kpis: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """NPS = % promoters (9-10) − % detractors (0-6); CSAT = % of 4-5; CES mean; FCR % yes."""
    return kpi_summary(kpi_values(visit_kpis))


def kpi_summary(values: Mapping[str, list[Any]]) -> dict[str, Any]:
    """The roll-up of `kpi_values`, which may be concatenated across groups first."""
    nps = values.get("nps", [])
    csat = values.get("csat", [])
    ces = values.get("ces", [])
    fcr = values.get("fcr", [])
    waits = [float(w) for w in values.get("wait_seconds", [])]
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
