"""The radar's axis names: legible on a phone (it filled a 412 px phone's card with 9.6 px
text) and whole inside the chart, measured with the bundled Noto Sans."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from PIL import ImageFont

from audit.charts.svg import radar
from tests.charts.test_trend_labels import FONT_FILE, NS, PHONE_CARD

AXES = {"vi": ["Phương tiện hữu hình", "Độ tin cậy", "Khả năng đáp ứng", "Sự đảm bảo",
               "Sự đồng cảm"],
        "en": ["Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"]}


def _chart(lang: str):
    svg = radar(AXES[lang], [("Sao Mai Hải Phòng", [None, 75, 50, 66.7, 80], "#123"),
                             ("Trung bình thương hiệu", [78, 80, 75, 83, 85], "#456")],
                title="t")
    return ElementTree.fromstring(svg)


def _lines(root):
    """(text, x, anchor, font size) of every line of text drawn."""
    for text in root.iter(f"{NS}text"):
        size = float(text.get("font-size") or root.get("font-size"))
        spans = list(text.iter(f"{NS}tspan")) or [text]
        for span in spans:
            yield span.text or "", float(span.get("x") or text.get("x")), \
                text.get("text-anchor", "start"), size


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_axis_names_are_legible_on_a_phone_and_stay_inside(lang):
    root = _chart(lang)
    view_w = float(root.get("viewBox").split()[2])
    shown = min(PHONE_CARD, float(root.get("width")))
    lines = list(_lines(root))
    assert min(size for *_r, size in lines) * shown / view_w >= 11.5
    drawn = " ".join(text for text, *_r in lines)
    for axis in AXES[lang]:
        assert all(word in drawn.split() for word in axis.split())  # whole words
    for text, x, anchor, size in lines:
        width = ImageFont.truetype(str(FONT_FILE), round(size * 10)).getlength(text) / 10
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        assert left >= 0 and left + width <= view_w, text
