"""Text in SVG charts: a width estimate without a font file, and wrapping on word boundaries.

An SVG cannot wrap its text, so the charts measure it themselves. The widths are Noto Sans
(the font the app ships and the PDFs use) rounded up by groups and widened by a margin, so a
line measured here still fits in the wider fonts a browser may pick for `system-ui`
(DejaVu Sans is about 9 % wider than Noto Sans).
"""

from __future__ import annotations

import unicodedata

_GROUPS = {  # advance width in thousandths of an em: characters
    280: " ijl'`.,:;!·",
    420: "()[]{}ft-/\\\"rIJ",
    530: "csvxyz?_–",
    590: "aek+<=>^~$*|EFLTSZXY",
    650: "0123456789bdghnopquđABCKPRV",
    790: "DGHNUOQĐ&#",
    940: "mwMW%@",
}
_EM = {ch: width for width, chars in _GROUPS.items() for ch in chars}
_OTHER = 1000  # anything else (a wide dash, an ellipsis, CJK): a full em
_MARGIN = 1.06


def text_width(text: str, size: float) -> float:
    """The width of `text` at font size `size`, a little more than any common sans-serif."""
    em = sum(_EM.get(ch, _EM.get(unicodedata.normalize("NFD", ch)[0], _OTHER)) for ch in text)
    return em * size * _MARGIN / 1000


def wrap(text: str, width: float, size: float) -> tuple[list[str], bool]:
    """`text` in lines no wider than `width`, broken between words; and whether a word
    longer than a whole line had to be broken inside (a last resort the caller may refuse)."""
    lines: list[str] = []
    line, broken = "", False
    for word in _words(text):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while text_width(line, size) > width and len(line) > 1:
            cut = max(k for k in range(1, len(line) + 1)
                      if k == 1 or text_width(line[:k], size) <= width)
            lines.append(line[:cut])
            line, broken = line[cut:], True
    if line:
        lines.append(line)
    return lines, broken


def _words(text: str) -> list[str]:
    """The words of `text`, a lone dash or other punctuation kept with the word before it
    (a line does not start with "– miền Bắc")."""
    words: list[str] = []
    for token in text.split():
        if words and all(unicodedata.category(ch).startswith("P") for ch in token):
            words[-1] += " " + token
        else:
            words.append(token)
    return words
