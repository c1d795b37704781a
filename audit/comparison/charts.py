"""The comparison's SVG charts, built once for the page and the PDF report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from audit.charts import heatmap, radar, trend
from audit.comparison.queries import STEP_KEYS
from audit.i18n import localized
from audit.labels import DIMENSION, STEP
from audit.visits.models import DIMENSIONS

BRANCH_COLOUR, BRAND_COLOUR = "#0b5cad", "#8a5a00"


def heatmap_for(shown: Sequence[dict[str, Any]], break_after: int | None = None
                ) -> dict[str, Any]:
    """Branches × dimensions and steps: the columns that have a value, the grid, the SVG."""
    columns = [str(DIMENSION[d]) for d in DIMENSIONS] + [f"{k}. {STEP[k]}" for k in STEP_KEYS]
    grid = [[r["dimensions"][d]["mean"] for d in DIMENSIONS]
            + [r["steps"][k]["mean"] for k in STEP_KEYS] for r in shown]
    keep = [j for j in range(len(columns)) if any(line[j] is not None for line in grid)]
    columns = [columns[j] for j in keep]
    grid = [[line[j] for j in keep] for line in grid]
    svg = heatmap([f"{r['rank']}. {r['branch'].name}" for r in shown], columns, grid,
                  title=_("Scores by branch, dimension and step"), break_after=break_after)
    return {"heatmap_columns": columns, "heatmap_grid": grid, "heatmap": svg}


def radar_for(row: dict[str, Any], brand_dimensions: dict[str, float | None]) -> str:
    """One branch's dimensions against the brand average."""
    return radar(
        [str(DIMENSION[d]) for d in DIMENSIONS],
        [(row["branch"].name, [row["dimensions"][d]["mean"] for d in DIMENSIONS],
          BRANCH_COLOUR),
         (_("Brand average"), [brand_dimensions[d] for d in DIMENSIONS], BRAND_COLOUR)],
        title=_("%(branch)s against the brand average", branch=row["branch"].name))


def trend_for(points: Sequence[dict[str, Any]], locale: str) -> str:
    """Mean of the branches in scope and of the brand, campaign by campaign."""
    return trend(
        [localized(t["name"], locale) for t in points],
        [(_("Branches in scope"), [t["scope"]["mean"] for t in points], BRANCH_COLOUR),
         (_("Brand average"), [t["brand"]["mean"] for t in points], BRAND_COLOUR)],
        title=_("Mean score over campaigns"))
