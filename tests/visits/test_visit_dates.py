"""Defect 4: the date and times a shopper types are stored on the visit (in UTC, from the
branch's clock) and shown by everything that reads them: the visit PDF, exports, the report
library's labels, the owner's list."""

from __future__ import annotations

from datetime import UTC, date, datetime

import flask_babel
import pytest

from audit.models.reports import Report
from audit.reports import exports, library
from audit.review import operations as review
from audit.visits.facts import clean_facts, visit_moments
from tests.reports.conftest import pdf_text, score_visit
from tests.support import login, session_cookie

HCM = "Asia/Ho_Chi_Minh"


def _naive(moment):
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


@pytest.mark.parametrize(("channel", "facts", "expected"), [
    ("in_person", {"visited_on": "2026-12-01", "time_in": "07:30", "time_out": "08:10"},
     ("2026-12-01 00:30", "2026-12-01 00:30", "2026-12-01 01:10")),
    ("in_person", {"visited_on": "2026-12-01", "time_in": "06:00"},  # the day before in UTC
     ("2026-11-30 23:00", "2026-11-30 23:00", None)),
    ("in_person", {"visited_on": "2026-12-01", "time_in": "23:40", "time_out": "00:20"},
     ("2026-12-01 16:40", "2026-12-01 16:40", "2026-12-01 17:20")),
    ("in_person", {"visited_on": "2026-12-01"}, ("2026-12-01 05:00", None, None)),
    ("in_person", {"time_in": "07:30"}, (None, None, None)),
    ("phone", {"called_on": "2026-12-02", "called_at": "14:05"},
     ("2026-12-02 07:05", "2026-12-02 07:05", None)),
    ("email", {"sent_at": "2026-12-03T09:00", "answered_at": "2026-12-04T10:30"},
     ("2026-12-03 02:00", "2026-12-03 02:00", "2026-12-04 03:30")),
])
def test_moments_from_the_facts_typed_on_the_branch_clock(channel, facts, expected):
    got = [_naive(m) for m in visit_moments(channel, facts, HCM)]
    assert [m.strftime("%Y-%m-%d %H:%M") if m else None for m in got] == list(expected)


def test_an_impossible_date_is_refused_at_its_fact():
    assert clean_facts("in_person", {"visited_on": "2026-02-30"})[1] == ["visited_on"]
    assert clean_facts("in_person", {"visited_on": "22026-12-01"})[1] == ["visited_on"]


def test_the_typed_date_reaches_the_visit_its_pdf_exports_and_library(client, world, make_visit,
                                                                      session):
    visit = make_visit(branch=world.a.branches[0])
    login(client, world.people.shopper)
    response = client.post(f"/visits/{visit.id}", data={
        "fact-visited_on": "2026-12-01", "fact-time_in": "06:15", "fact-time_out": "06:40"})
    assert response.status_code == 302
    session.refresh(visit)
    assert visit.visited_on == date(2026, 12, 1)
    assert _naive(visit.visited_at.replace(tzinfo=visit.visited_at.tzinfo or UTC)) == \
        datetime(2026, 11, 30, 23, 15)
    assert (visit.local_time("time_in"), visit.local_time("time_out")) == ("06:15", "06:40")

    score_visit(visit, world.people.shopper)
    review.approve(visit, world.people.manager, None)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        flask_babel.refresh()
        sheet = exports.build(world.people.manager, world.campaign_a.id, "en").visits
        row = next(r for r in sheet.rows if r[0] == visit.id)
        assert row[sheet.header.index("Date")] == date(2026, 12, 1)
        report = Report(kind="visit", params={"visit": visit.id}, lang="en",
                        brand_id=world.a.brand.id, requested_by=world.people.manager)
        session.add(report)
        session.flush()
        assert "Dec 1, 2026" in library.describe([report], world.people.manager, "en")[report.id]

    session_cookie(client, world.people.manager)
    pdf = client.get(f"/reports/visits/{visit.id}.pdf?lang=en")
    assert pdf.status_code == 200, pdf.status_code
    text = pdf_text(pdf.data)
    assert "Dec 1, 2026" in text and "06:15" in text and "06:40" in text
