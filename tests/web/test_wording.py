"""Defect 17, wording: no internal code where a person reads (an export's KPI columns, a
choice answer), and one date format on a page (the review screen's visit facts beside its
edit notes; a person's last log-in beside the day the account was made)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.reports import exports
from audit.review import operations as review
from audit.visits import operations
from tests.reports.conftest import score_visit
from tests.support import login

# A date written any other way than the `date` filter's: ISO, or day/month/year.
OTHER_DATES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
MEDIUM = {"vi": "24 thg 11, 2026", "en": "Nov 24, 2026"}
TEMPLATES = Path(__file__).parents[2] / "templates"
CODE_FIELDS = ("status", "kind", "role", "channel", "severity", "metric", "scope", "field",
               "action", "entity", "policy", "tier", "lang", "flag")


def _visible(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.mark.parametrize(("lang", "wait", "fcr", "solved"), [
    ("en", "Wait in seconds", "First-contact resolution", "Fully solved"),
    ("vi", "Thời gian chờ (giây)", "Giải quyết ngay lần đầu (FCR)",
     "Giải quyết trọn vẹn"),
])
def test_exports_name_kpis_and_choices_in_the_readers_language(app, world, make_visit, lang,
                                                               wait, fcr, solved):
    visit = make_visit()
    score_visit(visit, world.people.shopper)
    review.approve(visit, world.people.manager, None)
    with app.test_request_context(headers={"Accept-Language": lang}):
        export = exports.build(world.people.manager, world.campaign_a.id, lang)
    header = export.visits.header
    assert wait in header and fcr in header
    assert not [title for title in header if re.fullmatch(r"[A-Z_]+|[a-z_]+", title)
                and "_" in title]  # "WAIT_SECONDS" was a column title
    [row] = [row for row in export.answers.rows if row[1] == "P4.4"]
    assert row[3] == solved  # not the option's code, "solved"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_review_screen_writes_every_date_one_way(client, world, make_visit, lang):
    visit = make_visit()
    operations.save_answers(visit, [], world.people.shopper,
                            facts={"visited_on": "2026-11-24", "time_in": "14:30"})
    score_visit(visit, world.people.shopper)
    review.edit_answer(visit, "P1.1", False, False, "Ảnh cho thấy quầy trống.",
                       world.people.manager, None)
    login(client, world.people.manager)
    page = _visible(client.get(f"/review/{visit.id}",
                               headers={"Accept-Language": lang}).get_data(as_text=True))
    assert MEDIUM[lang] in page  # the visit fact, as the edit note's date is written
    assert "14:30" in page  # a time of day as the shopper typed it
    assert not OTHER_DATES.findall(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_persons_page_writes_every_date_one_way(client, world, session, lang):
    person = world.people.shopper
    person.last_login_at = datetime(2026, 11, 24, 3, 2, tzinfo=UTC)
    session.flush()
    login(client, world.people.admin)
    page = _visible(client.get(f"/people/{person.id}",
                               headers={"Accept-Language": lang}).get_data(as_text=True))
    assert MEDIUM[lang] in page  # 10:02 on 24 November in Hanoi
    assert not OTHER_DATES.findall(page)


def test_no_template_prints_a_code_as_text():
    """A status, kind, role... printed between tags goes through its label (`labels.X[...]`);
    the code itself belongs only in attributes (CSS classes, form values)."""
    fields = "|".join(CODE_FIELDS)
    printed = re.compile(r"\{\{\s*(?!errors\.)[\w.]+\.(" + fields + r")\s*\}\}")
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in printed.finditer(text):
            before = text[:match.start()]
            if before.rfind("<") > before.rfind(">"):
                continue  # inside a tag: an attribute
            found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert found == []


def test_scripts_take_their_words_from_the_page():
    """Words a script shows (a button, a status, a tooltip) come from `data-` attributes the
    template fills with `_()`, never an English literal ("Retry" on Vietnamese pages)."""
    shown = re.compile(r"""(?:textContent|innerText|title|placeholder|value)\s*=\s*["'][^"']*"""
                       r"""[A-Za-z]{2,}|setAttribute\(\s*["'](?:aria-label|title|placeholder)"""
                       r"""["']\s*,\s*["'][^"']*[A-Za-z]{2,}|(?:alert|confirm)\(\s*["']""")
    scripts = Path(__file__).parents[2] / "audit/static/js"
    found = [f"{path.name}: {match.group(0)}" for path in sorted(scripts.glob("*.js"))
             for match in shown.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
