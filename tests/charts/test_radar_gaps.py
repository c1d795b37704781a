"""Defect 8: a dimension with no data is a visible gap on the radar, never a 0."""

from __future__ import annotations

import re

from audit.charts.svg import radar

AXES = ["Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"]
CENTRE = "220,220"


def _shapes(svg: str) -> list[str]:
    return re.findall(r'<(?:polygon|polyline) points="([^"]+)"', svg)


def test_a_missing_dimension_is_a_gap_not_the_centre():
    svg = radar(AXES, [("Branch", [None, 80, 70, 90, 60], "#1d4e89"),
                       ("Brand", [75, 75, 75, 75, 75], "#888")], title="t")
    branch = _shapes(svg)[0]
    points = branch.split()
    assert len(points) == 4 and CENTRE not in points  # nothing drawn at the centre
    assert svg.count("<polygon") == 1  # the brand's complete shape only
    assert "Tangibles —" in svg and 'class="no-data"' in svg


def test_complete_values_keep_the_filled_shape_and_a_lone_value_is_a_dot():
    full = radar(AXES, [("Branch", [50, 60, 70, 80, 90], "#1d4e89")], title="t")
    assert full.count("<polygon") == 1 and "—" not in full.split("<desc")[0].split("</title>")[-1]
    lone = radar(AXES, [("Branch", [None, 60, None, None, None], "#1d4e89")], title="t")
    assert "<circle" in lone and "<polyline" not in lone
    split = radar(AXES, [("Branch", [40, None, 70, 80, None], "#1d4e89")], title="t")
    runs = re.findall(r'<polyline points="([^"]+)"', split)
    assert [len(r.split()) for r in runs] == [2]  # 70 and 80; 40 has gaps on both sides
    assert split.count("<circle") == 1
