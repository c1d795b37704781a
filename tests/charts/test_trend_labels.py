"""Defect 11: the trend's campaign names never overlap, are never cut inside a word, and its
text stays legible (11 px or more) when the chart is shrunk to a 412 px phone's card."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import ImageFont

from audit.charts import trend

NS = "{http://www.w3.org/2000/svg}"
FONT_FILE = Path(__file__).parents[2] / "audit/static/fonts/NotoSans-Regular.ttf"
# A 412 px phone: main's padding (12 px) and the card's padding and border (17 px) each side.
PHONE_CARD = 412 - 2 * 12 - 2 * 17
LONG = [f"Đợt khảo sát quý {q} năm {y} – miền {r}" for y in (2025, 2026) for q in (1, 2, 3, 4)
        for r in ("Bắc",)]
SHORT = ["Bước 5 – quý 1", "SERVQUAL tháng 4", "Gọi điện tháng 5"]
SERIES_NAMES = ("Chi nhánh trong phạm vi", "Trung bình thương hiệu")


def _chart(labels, **kwargs):
    n = len(labels)
    series = [(SERIES_NAMES[0], [60.0 + i for i in range(n)], "#0b5cad"),
              (SERIES_NAMES[1], [70.0 if i % 3 else None for i in range(n)], "#8a5a00")]
    return ElementTree.fromstring(trend(labels, series, title="Xu hướng", **kwargs))


def _texts(root):
    """(text, size, ink box) of every text element, measured with the font the app ships."""
    default = float(root.attrib["font-size"])
    out = []
    for el in root.iter(f"{NS}text"):
        size = float(el.attrib.get("font-size", default))
        font = ImageFont.truetype(str(FONT_FILE), size)
        x, y = float(el.attrib["x"]), float(el.attrib["y"])
        left, top, right, bottom = font.getbbox(el.text, anchor="ls")
        shift = {"start": 0, "middle": right / 2, "end": right}[el.attrib.get("text-anchor",
                                                                               "start")]
        out.append((el.text, size, (x + left - shift, y + top, x + right - shift, y + bottom)))
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("labels", [LONG, SHORT, [f"Đợt {i}" for i in range(1, 31)]],
                         ids=["8 long names", "3 short names", "30 campaigns"])
@pytest.mark.parametrize("width", [None, 720], ids=["page", "pdf"])
def test_no_two_texts_overlap_and_all_stay_inside(labels, width):
    root = _chart(labels, **({} if width is None else {"width": width}))
    texts = _texts(root)
    _x, _y, view_w, view_h = (float(v) for v in root.attrib["viewBox"].split())
    for (ta, _sa, a), (tb, _sb, b) in combinations(texts, 2):
        assert not _overlap(a, b), f"{ta!r} overlaps {tb!r}"
    for text, _size, (x0, y0, x1, y1) in texts:
        assert 0 <= x0 <= x1 <= view_w and 0 <= y0 <= y1 <= view_h, text


@pytest.mark.parametrize("labels", [LONG, SHORT], ids=["long", "short"])
def test_names_are_whole_and_broken_only_between_words(labels):
    texts = [t for t, _s, _b in _texts(_chart(labels))]
    words = {w for name in (*labels, *SERIES_NAMES) for w in name.split()}
    numbers = {f"{i}." for i in range(1, 9)} | {str(i) for i in range(0, 101)}
    for text in texts:
        assert set(text.split()) <= words | numbers, f"{text!r} is cut inside a word"
    joined = " ".join(texts)
    for name in labels:
        assert name in joined  # in full, its lines in reading order


def test_short_names_sit_under_their_points_and_long_ones_are_numbered():
    short = [t for t, _s, _b in _texts(_chart(SHORT))]
    assert "1" not in short and "1." not in short and "SERVQUAL" in short
    long = [t for t, _s, _b in _texts(_chart(LONG))]
    assert [str(i) for i in range(1, 9)] == [t for t in long if t in
                                            {str(i) for i in range(1, 9)}]
    assert [f"{i}." for i in range(1, 9)] == [t for t in long if t.endswith(".")]


@pytest.mark.parametrize("labels", [LONG, SHORT], ids=["long", "short"])
def test_text_is_legible_on_a_412_px_phone(labels):
    root = _chart(labels)
    view_w = float(root.attrib["viewBox"].split()[2])
    shown = min(PHONE_CARD, float(root.attrib["width"]))  # max-width: 100%, height: auto
    smallest = min(size for _t, size, _b in _texts(root))
    assert smallest * shown / view_w >= 11
