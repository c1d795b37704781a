"""Both languages stay complete: every message has its Vietnamese and English text, with
the same placeholders, and the catalogs hold every message the code uses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = {lang: ROOT / "audit" / "translations" / lang / "LC_MESSAGES" / "messages.po"
            for lang in ("vi", "en")}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w*\}")


def read(lang: str):
    with CATALOGS[lang].open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_message_is_translated_with_the_same_placeholders(lang):
    catalog = read(lang)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        # A plural message has a tuple of ids and one text per plural form of the language
        # (Vietnamese has one); each form must be filled and carry the singular's
        # placeholders.
        source = message.id[0] if message.pluralizable else message.id
        texts = message.string if message.pluralizable else (message.string,)
        if not all(texts) or "fuzzy" in message.flags:
            problems.append(f"untranslated: {message.id!r}")
        elif any(sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
                 for text in texts):
            problems.append(f"placeholders differ: {message.id!r}")
    assert problems == []


def test_catalogs_hold_every_message_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        used = {m.id for m in read_po(f) if m.id}
    for lang in ("vi", "en"):
        known = {m.id for m in read(lang) if m.id}
        assert sorted(used - known) == [], f"run `make messages` ({lang})"


def test_vietnamese_differs_from_english():
    vi = {m.id: m.string for m in read("vi") if m.id}
    same = [k for k, v in vi.items() if k == v and k not in {"E-mail", "NPS", "CSAT", "CES"}]
    assert len(same) <= 2, same
