"""Small, print-friendly SVG charts with text alternatives (<title>, <desc>, aria-label).

Every text that reaches a chart is escaped: branch names are user input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from audit.charts.text import text_width, wrap

FONT = "font-family=\"system-ui, 'Noto Sans', sans-serif\""
NULL_FILL = "#eef1f4"


def score_colour(score: float | None) -> str:
    """The heat-map colour of a score, red (0) through amber (60) to green (100), grey for
    none: public so the PDF's HTML heat map and the page's SVG one agree."""
    if score is None:
        return NULL_FILL
    s = max(0.0, min(100.0, score)) / 100
    if s < 0.6:
        t = s / 0.6
        r, g, b = 200, int(60 + 120 * t), 60
    else:
        t = (s - 0.6) / 0.4
        r, g, b = int(200 - 160 * t), int(180 - 30 * t), int(60 + 20 * t)
    return f"#{r:02x}{g:02x}{b:02x}"


def score_text_colour(score: float | None) -> str:
    """A readable text colour on `score_colour(score)`."""
    return "#1b2430" if score is None or 35 < score < 90 else "#ffffff"


def _fmt(score: float | None) -> str:
    return "—" if score is None else f"{score:.1f}"


def _svg(width: float, height: float, title: str, desc: str, body: list[str],
         scale: float = 1.25) -> str:
    # Sized by attributes, never a style attribute (the pages' CSP allows no inline style);
    # the stylesheets shrink it to its container (max-width: 100%; height: auto).
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{scale * width:.0f}" height="{scale * height:.0f}" role="img" '
        f'aria-label={quoteattr(title)} {FONT} font-size="12">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def heatmap(rows: Sequence[str], columns: Sequence[str],
            values: Sequence[Sequence[float | None]], *, title: str,
            break_after: int | None = None) -> str:
    """Rows (branches) × columns (dimensions, steps), each cell coloured by its score;
    `break_after` leaves a marked gap after that many rows (top and bottom of a ranking)."""
    label_w, cell_w, cell_h, head_h, gap_h = 170, 64, 26, 110, 22
    gap = gap_h if break_after is not None and 0 < break_after < len(rows) else 0
    width = label_w + cell_w * len(columns) + 90
    height = head_h + cell_h * len(rows) + gap + 4
    body = []
    for j, column in enumerate(columns):  # slanted headers: long Vietnamese labels fit
        x = label_w + j * cell_w + cell_w / 2
        body.append(f'<text x="{x:.0f}" y="{head_h - 8}" transform="rotate(-35 {x:.0f} '
                    f'{head_h - 8})" font-weight="600" font-size="11">'
                    f"{escape(column[:28])}</text>")
    desc = []
    if gap:
        y = head_h + break_after * cell_h + gap_h / 2
        body.append(f'<line x1="{label_w}" y1="{y:.0f}" x2="{label_w + cell_w * len(columns)}" '
                    f'y2="{y:.0f}" stroke="#8a94a3" stroke-dasharray="4 4"/>'
                    f'<text x="{label_w - 8}" y="{y + 4:.0f}" text-anchor="end">⋯</text>')
    for i, row in enumerate(rows):
        y = head_h + i * cell_h + (gap if gap and i >= break_after else 0)
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                    f"{escape(row[:26])}</text>")
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            body.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}"'
                        f' rx="3" fill="{score_colour(value)}"/>')
            body.append(f'<text x="{x + cell_w / 2:.0f}" y="{y + 17}" text-anchor="middle" '
                        f'fill="{score_text_colour(value)}">{_fmt(value)}</text>')
        desc.append(f"{row}: " + ", ".join(f"{c} {_fmt(v)}" for c, v in zip(columns, values[i],
                                                                            strict=True)))
    return _svg(width, height, title, "; ".join(desc), body)


def _runs(present: Sequence[bool]) -> list[list[int]]:
    """Runs of consecutive present spokes, going round (the last joins the first)."""
    n = len(present)
    if all(present):
        return [list(range(n))]
    start = next(k for k in range(n) if not present[k])  # begin just after a gap
    runs: list[list[int]] = []
    for step in range(1, n + 1):
        k = (start + step) % n
        if present[k]:
            if runs and runs[-1] and runs[-1][-1] == (k - 1) % n:
                runs[-1].append(k)
            else:
                runs.append([k])
    return runs


def _radar_shape(points: Sequence[tuple[float, float] | None], colour: str,
                 dash: str) -> list[str]:
    """The filled polygon when every value is there; otherwise lines through the runs of
    present values and a dot for a value alone, with no line across a gap."""
    if points and all(p is not None for p in points):
        shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        return [f'<polygon points="{shape}" fill="{colour}" fill-opacity="0.15" '
                f'stroke="{colour}" stroke-width="2"{dash}/>']
    if not any(p is not None for p in points):
        return []
    out = []
    for run in _runs([p is not None for p in points]):
        if len(run) == 1:
            x, y = points[run[0]]
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        else:
            line = " ".join(f"{points[k][0]:.1f},{points[k][1]:.1f}" for k in run)
            out.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash}/>')
    return out


def radar(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]], *,
          title: str, legend: bool = True, axis_labels: bool = True) -> str:
    """Scores on 0-100 spokes; `series` is (name, values, colour), e.g. a branch and the brand.
    Small multiples pass `legend=False` and `axis_labels=False`, and the report draws one
    key radar with the axis codes: every SVG text costs the PDF renderer dearly."""
    size, centre, radius = 440, 220, 120
    n = len(axes)
    body = []

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        r = radius * max(0.0, min(100.0, value)) / 100
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    # The grid (rings at 25/50/75/100 and the spokes) is one path: each SVG element costs
    # the PDF renderer as much to draw as its lines do, and 50 radars add up.
    grid = []
    for level in (25, 50, 75, 100):
        ring = [point(k, level) for k in range(n)]
        grid.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + " Z")
    grid.extend(f"M{centre},{centre} L{x:.1f},{y:.1f}" for x, y in
                (point(k, 100) for k in range(n)))
    body.append(f'<path d="{" ".join(grid)}" fill="none" stroke="#d9dee5"/>')
    # A dimension without data is a gap, never a 0: drawn as 0 the shape collapsed to the
    # centre (a checklist with no tangibles question, defect 8). Its spoke is dashed and its
    # label says "—".
    subject = series[0][1] if series else ()
    missing = [k for k in range(n) if k < len(subject) and subject[k] is None]
    for k in missing:
        x, y = point(k, 100)
        body.append(f'<path d="M{centre},{centre} L{x:.1f},{y:.1f}" stroke="#8a94a3" '
                    'stroke-dasharray="3 4" class="no-data"/>')
    for k, axis in enumerate(axes if axis_labels else ()):
        lx, ly = point(k, 118)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        text = f"{axis} —" if k in missing else axis
        if not legend:  # the report's key radar: short codes, large
            body.append(f'<text x="{lx:.1f}" y="{ly + 8:.1f}" text-anchor="{anchor}" '
                        f'font-size="24" font-weight="700">{escape(text)}</text>')
            continue
        body.append(_radar_label(text, lx, ly, anchor, size, centre))
    desc = []
    for index, (name, values, colour) in enumerate(series):
        dash = ' stroke-dasharray="5 4"' if index else ""
        body.extend(_radar_shape([point(k, v) if v is not None else None
                                  for k, v in enumerate(values)], colour, dash))
        if legend:
            body.append(f'<rect x="8" y="{8 + 20 * index}" width="13" height="13" '
                        f'fill="{colour}"/><text x="27" y="{20 + 20 * index}" '
                        f'font-size="{RADAR_TEXT}">{escape(name[:40])}</text>')
        desc.append(f"{name}: " + ", ".join(f"{a} {_fmt(v)}" for a, v in zip(axes, values,
                                                                             strict=True)))
    if not axis_labels:  # no room kept for labels: the outer ring fills the small multiple
        outer = [point(k, 100) for k in range(n)]
        left, top = min(x for x, _ in outer) - 4, min(y for _, y in outer) - 4
        width = max(x for x, _ in outer) + 4 - left
        height = max(y for _, y in outer) + 4 - top
        shifted = f'<g transform="translate({-left:.1f} {-top:.1f})">'
        return _svg(width, height, title, "; ".join(desc), [shifted, *body, "</g>"])
    return _svg(size, size - 50, title, "; ".join(desc), body)


RADAR_TEXT, RADAR_LINE = 15, 17  # about 12 px when the 440-unit radar fills a phone's card


def _radar_label(text: str, x: float, y: float, anchor: str, size: float,
                 centre: float) -> str:
    """An axis name wrapped between words into the room its side of the chart leaves, so
    it is legible on a phone and never cut by the chart's edge."""
    room = {"start": size - x - 4, "end": x - 4,
            "middle": 2 * min(x, size - x) - 8}[anchor]
    lines, _broken = wrap(text, room, RADAR_TEXT)
    top = y + 5 - (RADAR_LINE * (len(lines) - 1) if y < centre - 10 else 0)
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else RADAR_LINE}">{escape(line)}'
                    "</tspan>" for i, line in enumerate(lines))
    return (f'<text x="{x:.1f}" y="{top:.1f}" text-anchor="{anchor}" '
            f'font-size="{RADAR_TEXT}">{spans}</text>')


TEXT_SIZE, TICK_SIZE, LINE_H = 14, 13, 17  # the trend's text, in view-box units


def trend(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]], *,
          title: str, width: int = 400) -> str:
    """Mean score per campaign, one line per series, on a 0-100 axis. Later series are
    dashed with square markers, so overlapping lines stay apart on screen and in print.

    The default `width` is drawn at its size on a desk and shrunk to a 412 px phone's card
    (354 px) with its text still at 11 px or more; the PDF passes a wider one. Campaign names
    wrap between words under their point (up to three lines); when one does not fit, the
    points are numbered and the names listed in full below the plot."""
    left, right, plot_h = 36, 12, 150
    plot_w = width - left - right
    slot = plot_w / max(1, len(labels))
    xs = [left + slot * (i + 0.5) for i in range(len(labels))]
    body, y = _trend_legend([(name, colour, index > 0) for index, (name, _v, colour)
                             in enumerate(series)], width)
    top = y + 20
    for level in (0, 25, 50, 75, 100):
        ly = top + plot_h * (1 - level / 100)
        body.append(f'<line x1="{left}" y1="{ly:.1f}" x2="{width - right}" y2="{ly:.1f}" '
                    f'stroke="#e5e9ef"/><text x="{left - 6}" y="{ly + 4:.1f}" '
                    f'text-anchor="end" font-size="{TICK_SIZE}">{level}</text>')
    base = top + plot_h + 6 + LINE_H  # the first line under the plot
    wrapped = [wrap(label, slot - 8, TEXT_SIZE) for label in labels]
    if all(not broken and len(lines) <= 3 for lines, broken in wrapped):
        for x, (lines, _broken) in zip(xs, wrapped, strict=True):
            body.extend(_text(x, base + k * LINE_H, line, "middle")
                        for k, line in enumerate(lines))
        base += LINE_H * (max([1, *(len(lines) for lines, _b in wrapped)]) - 1)
    else:  # numbered points (every few when they are many), the names in full below
        every = math.ceil((text_width(str(len(labels)), TEXT_SIZE) + 6) / slot)
        body.extend(_text(x, base, str(i), "middle") for i, x in enumerate(xs, start=1)
                    if (i - 1) % every == 0)
        indent = 8 + text_width(f"{len(labels)}.", TEXT_SIZE) + 6
        base += 4
        for i, label in enumerate(labels, start=1):
            lines = wrap(label, width - indent - 8, TEXT_SIZE)[0]
            base += LINE_H + 3  # a little air between names that wrap
            body.append(_text(8, base, f"{i}.", "start"))
            body.extend(_text(indent, base + k * LINE_H, line, "start")
                        for k, line in enumerate(lines))
            base += LINE_H * (len(lines) - 1)
    desc = []
    for index, (name, values, colour) in enumerate(series):
        pts = [(xs[i], top + plot_h * (1 - v / 100)) for i, v in enumerate(values)
               if v is not None]
        dash = ' stroke-dasharray="6 4"' if index else ""
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="2"{dash}/>')
        if index:
            body.extend(f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
                        f'fill="{colour}"/>' for x, y in pts)
        else:
            body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
                        for x, y in pts)
        desc.append(f"{name}: " + ", ".join(f"{lab} {_fmt(v)}" for lab, v in zip(labels, values,
                                                                                 strict=True)))
    return _svg(width, base + 10, title, "; ".join(desc), body, scale=1)


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{TEXT_SIZE}">'
            f"{escape(text)}</text>")


def _trend_legend(entries: Sequence[tuple[str, str, bool]], width: float
                  ) -> tuple[list[str], float]:
    """The series' keys left to right, on a new row when one does not fit; a name longer
    than the chart is wrapped. Returns the SVG and the baseline of the last row."""
    body, x, y, row_lines = [], 8.0, float(LINE_H), 1
    for name, colour, dashed in entries:
        lines = wrap(name, width - 16 - 24, TEXT_SIZE)[0] or [""]
        entry_w = 24 + max(text_width(line, TEXT_SIZE) for line in lines)
        if x > 8 and x + entry_w > width - 8:
            x, y, row_lines = 8.0, y + LINE_H * row_lines + 2, 1
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        body.append(f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x + 18:.1f}" y2="{y - 5:.1f}" '
                    f'stroke="{colour}" stroke-width="3"{dash}/>')
        body.extend(_text(x + 24, y + k * LINE_H, line, "start") for k, line in enumerate(lines))
        row_lines = max(row_lines, len(lines))
        x += entry_w + 20
    return body, y + LINE_H * (row_lines - 1)
