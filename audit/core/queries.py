"""Small helpers for table definitions and queries that every feature's models share."""

from __future__ import annotations


def in_values(column: str, values: tuple[str, ...], nullable: bool = False) -> str:
    """The CHECK constraint text that keeps `column` to `values` (or NULL when nullable)."""
    listed = ", ".join(f"'{v}'" for v in values)
    check = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {check}" if nullable else check
