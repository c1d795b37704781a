"""SVG charts made on the server (pure, no Flask): the pages and the PDF reports share them."""

from audit.charts.svg import heatmap, radar, trend

__all__ = ["heatmap", "radar", "trend"]
