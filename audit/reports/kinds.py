"""The one place that imports the modules defining report kinds, so each registers itself
in `audit.reports.registry` before the library, its jobs and the API look kinds up.

Loaded by the application factory (through the reports blueprint) and so also by the RQ
worker, which builds the same app. Add a module here when a new kind is written.
"""

from __future__ import annotations

from importlib import import_module

MODULES: tuple[str, ...] = (
    "audit.reports.visit_report",
    "audit.reports.comparison_report",
)


def load() -> None:
    """Import every module that registers a kind (idempotent: imports are cached)."""
    for name in MODULES:
        import_module(name)
