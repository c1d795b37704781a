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
        if not message.string or "fuzzy" in message.flags:
            problems.append(f"untranslated: {message.id!r}")
        elif sorted(PLACEHOLDER.findall(message.id)) != sorted(
                PLACEHOLDER.findall(message.string)):
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
