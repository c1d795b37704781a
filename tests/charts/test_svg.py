"""The SVG charts: well-formed, text alternatives, escaped user text, nulls shown as dashes."""

from __future__ import annotations

from xml.etree import ElementTree

from audit.charts import heatmap, radar, trend

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ElementTree.fromstring(svg)


def test_heatmap_cells_titles_and_escaping():
    svg = heatmap(["Sao Mai <script>alert(1)</script>", "B & C"], ["Tangibles", "Empathy"],
                  [[80.04, None], [55.0, 100.0]], title="Heat map")
    root = parse(svg)
    assert root.find(f"{NS}title").text == "Heat map"
    assert "80.0" in svg and "—" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert len(root.findall(f"{NS}rect")) == 4
    assert "B &amp; C: Tangibles 55.0, Empathy 100.0" in svg  # the text alternative


def test_radar_and_trend_are_well_formed():
    r = radar(["T", "R", "RS", "A", "E"], [("Branch", [80, 70, None, 90, 60], "#0b5cad"),
                                           ("Brand", [75, 75, 75, 75, 75], "#8a5a00")],
              title="Radar")
    assert len(parse(r).findall(f"{NS}polygon")) == 4 + 2  # 4 rings + 2 series
    t = trend(["Wave 1", "Wave 2", "Wave 3"], [("Brand", [60.0, None, 80.0], "#0b5cad")],
              title="Trend")
    assert len(parse(t).findall(f"{NS}circle")) == 2
    assert parse(t).attrib["role"] == "img"


def test_heatmap_marks_the_gap_between_top_and_bottom_rows():
    rows = [f"B{i}" for i in range(4)]
    grid = [[50.0, 60.0] for _ in rows]
    plain = parse(heatmap(rows, ["T", "E"], grid, title="Heat map"))
    split = parse(heatmap(rows, ["T", "E"], grid, title="Heat map", break_after=2))
    assert len(split.findall(f"{NS}line")) == len(plain.findall(f"{NS}line")) + 1
    assert float(split.attrib["viewBox"].split()[3]) > float(plain.attrib["viewBox"].split()[3])
    ys = [float(r.attrib["y"]) for r in split.findall(f"{NS}rect")]
    assert ys[4] - ys[2] > ys[2] - ys[0]  # rows 2 and 3 sit below the gap


def test_pdf_heat_map_cells_share_the_svg_colour_scale():
    """The PDF's HTML heat map and the page's SVG one colour a score alike."""
    from audit.charts import heatmap, score_colour
    from audit.comparison.charts import heatmap_cells

    grid = [[12.5, None], [80.0, 12.5]]
    out = heatmap_cells(grid)
    (a, b), (c, d) = out["heatmap_cells"]
    assert a[0] == d[0] and len({a[0], b[0], c[0]}) == 3  # one class per distinct colour
    svg = heatmap(["x", "y"], ["p", "q"], grid, title="t")
    for score in (12.5, 80.0, None):
        assert f"background: {score_colour(score)};" in out["heatmap_css"]
        assert f'fill="{score_colour(score)}"' in svg
