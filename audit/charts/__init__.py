"""SVG charts made on the server (pure, no Flask): the pages and the PDF reports share them."""

from audit.charts.svg import heatmap, radar, score_colour, score_text_colour, trend

__all__ = ["heatmap", "radar", "score_colour", "score_text_colour", "trend"]
