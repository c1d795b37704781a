"""The comparison's SVG charts, built once for the page and the PDF report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from audit.charts import heatmap, radar, score_colour, score_text_colour, trend
from audit.comparison.queries import STEP_KEYS
from audit.i18n import localized
from audit.labels import DIMENSION, STEP
from audit.vocabulary import DIMENSIONS

BRANCH_COLOUR, BRAND_COLOUR = "#0b5cad", "#8a5a00"


def heatmap_for(shown: Sequence[dict[str, Any]], break_after: int | None = None
                ) -> dict[str, Any]:
    """Branches × dimensions and steps: the columns that have a value, the grid, the SVG."""
    table = heatmap_table(shown)
    svg = heatmap([f"{r['rank']}. {r['branch'].name}" for r in shown], table["heatmap_columns"],
                  table["heatmap_grid"], title=_("Scores by branch, dimension and step"),
                  break_after=break_after)
    return {**table, "heatmap": svg}


def heatmap_table(shown: Sequence[dict[str, Any]], brand: dict[str, Any] | None = None
                  ) -> dict[str, Any]:
    """The heat map's columns that have a value and its grid, without the SVG (the PDF
    draws it as an HTML table: table text is far cheaper to lay out than SVG text).
    `brand` (the comparison's data) adds the brand average's row in the same columns."""
    columns = [str(DIMENSION[d]) for d in DIMENSIONS] + [f"{k}. {STEP[k]}" for k in STEP_KEYS]
    grid = [[r["dimensions"][d]["mean"] for d in DIMENSIONS]
            + [r["steps"][k]["mean"] for k in STEP_KEYS] for r in shown]
    keep = [j for j in range(len(columns)) if any(line[j] is not None for line in grid)]
    table: dict[str, Any] = {"heatmap_columns": [columns[j] for j in keep],
                             "heatmap_grid": [[line[j] for j in keep] for line in grid]}
    if brand is not None:
        line = ([brand["brand_dimensions"][d] for d in DIMENSIONS]
                + [brand["brand_steps"][k] for k in STEP_KEYS])
        table["heatmap_brand"] = [line[j] for j in keep]
    return table


def radar_for(row: dict[str, Any], brand_dimensions: dict[str, float | None]) -> str:
    """One branch's dimensions against the brand average."""
    return dimensions_radar(row["branch"].name,
                            {d: row["dimensions"][d]["mean"] for d in DIMENSIONS},
                            brand_dimensions)


def dimensions_radar(name: str, dimensions: dict[str, float | None],
                     brand_dimensions: dict[str, float | None] | None) -> str:
    """Dimension means (a branch's, or the scope's in the report's summary) against the
    brand average, with the dimensions' names on the axes; alone when `brand_dimensions`
    is None (the whole brand's own summary)."""
    series = [(name, [dimensions.get(d) for d in DIMENSIONS], BRANCH_COLOUR)]
    if brand_dimensions is None:
        return radar([str(DIMENSION[d]) for d in DIMENSIONS], series, title=name)
    series.append((_("Brand average"), [brand_dimensions[d] for d in DIMENSIONS],
                   BRAND_COLOUR))
    return radar([str(DIMENSION[d]) for d in DIMENSIONS], series,
                 title=_("%(branch)s against the brand average", branch=name))


def heatmap_cells(grid: Sequence[Sequence[float | None]]) -> dict[str, Any]:
    """The heat map's cells as CSS classes, one per distinct colour, and the rules behind
    them: the same colours as the SVG, without a style attribute to parse per cell."""
    classes: dict[tuple[str, str], str] = {}
    cells = [[(classes.setdefault((score_colour(v), score_text_colour(v)), f"h{len(classes)}"),
               v) for v in line] for line in grid]
    css = "".join(f"table.heatmap td.{name} {{ background: {bg}; color: {fg}; }}\n"
                  for (bg, fg), name in classes.items())
    return {"heatmap_cells": cells, "heatmap_css": css}


def radar_key() -> list[tuple[str, str]]:
    """Short axis codes of the small-multiple radars and the dimensions they stand for."""
    return [(str(k), str(DIMENSION[d])) for k, d in enumerate(DIMENSIONS, start=1)]


def small_radar_for(row: dict[str, Any], brand_dimensions: dict[str, float | None]) -> str:
    """One branch against the brand as a small multiple: no axis labels and no legend (the
    report prints one key radar and legend for all), the branch name outside the SVG."""
    return radar(
        [code for code, _label in radar_key()],
        [(row["branch"].name, [row["dimensions"][d]["mean"] for d in DIMENSIONS],
          BRANCH_COLOUR),
         (_("Brand average"), [brand_dimensions[d] for d in DIMENSIONS], BRAND_COLOUR)],
        title=_("%(branch)s against the brand average", branch=row["branch"].name),
        legend=False, axis_labels=False)


def key_radar(brand_dimensions: dict[str, float | None]) -> str:
    """The small multiples' key: the brand average with the axis codes of `radar_key`."""
    return radar(
        [code for code, _label in radar_key()],
        [(_("Brand average"), [brand_dimensions[d] for d in DIMENSIONS], BRAND_COLOUR)],
        title=_("How to read the radars"), legend=False)


def trend_for(points: Sequence[dict[str, Any]], locale: str, width: int = 400) -> str:
    """Mean of the branches in scope and of the brand, campaign by campaign; the PDF draws
    it wider (`width`), the page at the size a phone shows legibly."""
    return trend(
        [localized(t["name"], locale) for t in points],
        [(_("Branches in scope"), [t["scope"]["mean"] for t in points], BRANCH_COLOUR),
         (_("Brand average"), [t["brand"]["mean"] for t in points], BRAND_COLOUR)],
        title=_("Mean score over campaigns"), width=width)
