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
    assert len(parse(r).findall(f"{NS}polygon")) == 1  # the brand; the branch has a gap
    assert len(parse(r).findall(f"{NS}polyline")) == 1  # A-E-T-R round, none across RS
    grid, gap = parse(r).findall(f"{NS}path")  # rings and spokes in one path
    assert gap.attrib["class"] == "no-data"
    assert grid.attrib["d"].count("Z") == 4 and grid.attrib["d"].count("M") == 4 + 5
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


def test_small_multiple_radar_has_no_text_and_a_tight_view_box():
    """Small multiples draw no SVG text (one key radar carries the axis codes) and crop
    their view box to the outer ring, so the rings fill the figure."""
    series = [("Branch", [80, 70, 60, 90, 60], "#0b5cad")]
    small = parse(radar(["1", "2", "3", "4", "5"], series, title="t", legend=False,
                        axis_labels=False))
    labelled = parse(radar(["1", "2", "3", "4", "5"], series, title="t", legend=False))
    assert small.findall(f".//{NS}text") == []
    assert [t.text for t in labelled.findall(f".//{NS}text")] == ["1", "2", "3", "4", "5"]
    width, height = (float(v) for v in small.attrib["viewBox"].split()[2:])
    # outer ring radius 120: width 2·120·sin 72° + 8 = 236.2; height 120·(1 + cos 36°) + 8
    # = 225.1; the view box is written in whole units
    assert (width, height) == (236, 225)
