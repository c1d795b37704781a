"""CSV and XLSX exports: exact rows against the visits' stored scores, the owner's view
(published visits of their branches, no shopper column), formula injection, routes."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from audit.reports import exports
from audit.review import operations as review
from audit.vocabulary import DIMENSIONS, STEPS
from tests.reports.conftest import score_visit
from tests.support import login

INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def visits(world, make_visit, session):
    """Published at franchisee A's branch (with a formula-like comment) and at franchisee
    B's, submitted-only at A's branch, and one not yet done."""
    shopper, manager = world.people.shopper, world.people.manager
    own = make_visit(branch=world.a.branches[0])
    score_visit(own, shopper, comment=INJECTION)
    review.approve(own, manager, None)
    other = make_visit(branch=world.a.branches[1], shopper=world.people.other_shopper)
    score_visit(other, world.people.other_shopper)
    review.approve(other, manager, None)
    pending = make_visit(branch=world.a.branches[0])
    score_visit(pending, shopper)
    make_visit(branch=world.a.branches[2])
    session.flush()
    return {"own": own, "other": other, "pending": pending}


def _column(sheet, title):
    return [row[sheet.header.index(title)] for row in sheet.rows]


def test_manager_export_rows_and_scores_exact(app, world, visits):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        export = exports.build(world.people.manager, world.campaign_a.id, "en")
    sheet = export.visits
    expected = [visits["own"], visits["pending"], visits["other"]]  # by branch code, id
    assert _column(sheet, "Visit") == [v.id for v in expected]
    assert sheet.header[:8] == ["Visit", "Branch code", "Branch", "Campaign", "Channel", "Date",
                                "Status", "Shopper"]
    assert _column(sheet, "Shopper") == ["Nguyễn Bí Mật", "Nguyễn Bí Mật",
                                         world.people.other_shopper.name]
    assert _column(sheet, "Status") == ["Published", "Submitted", "Published"]
    assert _column(sheet, "Campaign") == ["Wave care-protocol-in-person"] * 3
    for row, visit in zip(sheet.rows, expected, strict=True):
        scores = row[8:8 + 2 + len(DIMENSIONS) + len(STEPS)]
        assert scores == [visit.score_overall, visit.servqual_index,
                          *(getattr(visit, f"score_{d}") for d in DIMENSIONS),
                          *(getattr(visit, f"score_step_{s}") for s in STEPS)]
        assert row[sheet.header.index("Critical fail")] == ("Yes" if visit.critical_fail
                                                            else "No")
    answers = export.answers
    own = [row for row in answers.rows if row[0] == visits["own"].id]
    assert len(own) == len(visits["own"].answers)
    counted = {q["code"]: q for q in visits["own"].scores["questions"]}
    by_code = {a.question.code: a for a in visits["own"].answers}
    for _visit, code, text, value, na, comment, earned, possible in own:
        answer = by_code[code]
        assert text == answer.question.text["en"]
        if isinstance(answer.value, bool):
            assert value == ("Yes" if answer.value else "No")
        elif isinstance(answer.value, (int, float)):
            assert value == answer.value
        assert (earned, possible) == (counted[code]["earned"], counted[code]["possible"])
        assert na == "No" and comment == "'" + INJECTION  # escaped, not a formula


def test_owner_export_has_no_shopper_and_only_published_own_visits(app, world, visits):
    with app.test_request_context():
        export = exports.build(world.people.owner, world.campaign_a.id, "vi")
    assert _column(export.visits, export.visits.header[0]) == [visits["own"].id]
    assert not any("Shopper" in h or "Người" in h for h in export.visits.header)
    assert "Nguyễn Bí Mật" not in repr(export.visits.rows)
    assert {row[0] for row in export.answers.rows} == {visits["own"].id}
    assert export.visits.header[0] != "Visit"  # headers in Vietnamese


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx"])
def test_formula_like_text_gets_an_apostrophe(value):
    assert exports.safe(value) == "'" + value
    assert exports.safe("plain") == "plain" and exports.safe(-3.5) == -3.5


def test_xlsx_file(client, world, visits):
    login(client, world.people.manager)
    response = client.get(f"/reports/exports/{world.campaign_a.id}.xlsx?lang=en")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="campaign-{world.campaign_a.id}-en.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Visits", "Answers"]
    sheet = book["Visits"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["A2"].value == visits["own"].id
    overall = sheet.cell(2, 9)
    assert overall.value == visits["own"].score_overall and overall.number_format == "0.0"
    comments = [row[5] for row in book["Answers"].iter_rows(min_row=2, values_only=True)]
    assert "'" + INJECTION in comments and INJECTION not in comments


def test_csv_zip(client, world, visits):
    login(client, world.people.owner)
    response = client.get(f"/reports/exports/{world.campaign_a.id}.csv?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["answers.csv", "visits.csv"]
    rows = list(csv.reader(io.StringIO(archive.read("visits.csv").decode("utf-8-sig"))))
    assert rows[0][:7] == ["Visit", "Branch code", "Branch", "Campaign", "Channel", "Date",
                           "Status"] and rows[0][7] == "Overall"
    assert [r[0] for r in rows[1:]] == [str(visits["own"].id)]
    answers = list(csv.reader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig"))))
    assert {r[0] for r in answers[1:]} == {str(visits["own"].id)}
    assert all(not r[5].startswith("=") for r in answers[1:])


@pytest.mark.parametrize(("who", "expected"), [
    ("admin", 200), ("manager", 200), ("other_manager", 404), ("owner", 200),
    ("other_owner", 200), ("shopper", 403),
])
def test_export_access(client, world, who, expected):
    login(client, getattr(world.people, who))
    assert client.get(f"/reports/exports/{world.campaign_a.id}.xlsx").status_code == expected
