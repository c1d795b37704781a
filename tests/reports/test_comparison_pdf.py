"""The branch-comparison PDF: figures from the comparison service, both languages, the
print furniture, and the owner's rules (no other branch named, no shopper anywhere)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from audit.comparison.service import branch_comparison
from audit.visits.models import DIMENSIONS
from tests.api.test_comparison_api import scored_visit
from tests.reports.conftest import pdf_text
from tests.web.test_pages import login


@pytest.fixture
def campaign_with_visits(world, make_visit, published, session):
    """Published visits at every branch of brand A (the owner's branch 0 has a real,
    fully scored one with a photo of a failed item)."""
    b0, b1, b2, b3 = world.a.branches
    for branch, scores in ((b0, (70, 90)), (b1, (80, 85, 60)), (b2, (95,)), (b3, (50, 55))):
        for score in scores:
            scored_visit(make_visit, branch, score)
    session.flush()
    return world.campaign_a


def download(client, campaign, lang="en", **scope):
    query = "&".join(f"{k}={v}" for k, v in scope.items())
    return client.get(f"/reports/comparison.pdf?campaign={campaign.id}&lang={lang}&{query}")


def test_manager_report_matches_the_comparison_service(client, world, campaign_with_visits):
    login(client, world.people.manager)
    response = download(client, campaign_with_visits)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="comparison-{campaign_with_visits.id}-en.pdf"')
    text = pdf_text(response.data)
    flat = " ".join(text.split())
    data = branch_comparison(world.people.manager, campaign_with_visits.id)
    for row in data["branches"]:
        assert row["branch"].name in text
        line = f"{row['rank']} {row['branch'].name}"
        assert line in flat
        assert f"{row['mean']:.1f}" in text
        if row["ci_low"] is not None:
            assert f"{row['ci_low']:.1f}–{row['ci_high']:.1f}" in flat
        badge = " small sample" if row["small_sample"] else ""
        assert f"{row['branch'].name}{badge} {row['mean']:.1f} {row['n']} " in flat
        cells = " ".join("—" if row["dimensions"][d]["mean"] is None
                         else f"{row['dimensions'][d]['mean']:.1f}" for d in DIMENSIONS)
        assert cells in flat  # the heat map's dimension cells, in the ranking's row
    assert f"{data['brand']['mean']:.1f}" in text
    for heading in ("Executive summary", "Ranking and heat map", "Weakest questions",
                    "Critical fails", "Corrective actions", "Photo evidence of failed items",
                    "Gap to target", "How the scores are computed", "Tiếng Việt"):
        assert heading in text
    assert "small sample" in text
    pages = len(PdfReader(io.BytesIO(response.data)).pages)
    assert 6 <= pages <= 20
    assert f"Page 1 of {pages}" in text
    assert "Nguyễn Bí Mật" not in text


def test_vietnamese_report(client, world, campaign_with_visits):
    login(client, world.people.manager)
    text = pdf_text(download(client, campaign_with_visits, "vi").data)
    assert "So sánh chi nhánh" in text and "Executive summary" not in text
    assert "Trang 1 /" in text


def test_owner_report_names_only_their_branches(client, world, campaign_with_visits):
    login(client, world.people.owner)
    response = download(client, campaign_with_visits)
    assert response.status_code == 200
    text = pdf_text(response.data)
    own = world.a.branches[0].name
    assert own in text
    for branch in world.a.branches[1:]:
        assert branch.name not in text
    assert world.a.other_franchisee.name not in text
    assert "Nguyễn Bí Mật" not in text
    brand = branch_comparison(world.people.manager, campaign_with_visits.id)["brand"]
    assert f"{brand['mean']:.1f}" in text  # the brand only as its average
    assert "P10" in text and "P90" in text  # and its distribution


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("manager", 200), ("owner", 200), ("other_owner", 200),
    ("other_manager", 404), ("shopper", 403)])
def test_who_may_download(client, world, campaign_with_visits, who, status):
    login(client, getattr(world.people, who))
    assert download(client, campaign_with_visits).status_code == status


def test_scope_by_franchisee(client, world, campaign_with_visits):
    login(client, world.people.manager)
    text = pdf_text(download(client, campaign_with_visits,
                             franchisee=world.a.other_franchisee.id).data)
    assert world.a.branches[1].name in text and world.a.branches[2].name not in text


def test_actions_are_this_campaigns_and_named_by_their_question(
        client, world, make_visit, published, campaign_with_visits, session):
    """Defect 13: the PDF named an action raised from an answer only by its question code
    and listed the open actions of other campaigns."""
    from audit.actions import operations as actions

    older = world.campaign(world.a)
    other = make_visit(branch=world.a.branches[1], status="approved", campaign=older)
    auto = actions.raise_action(branch=published.branch, actor=world.people.manager,
                                severity="minor", visit=published, question_code="P1.4")
    actions.raise_action(branch=other.branch, actor=world.people.manager, severity="major",
                         visit=other, title="Repaint the older wave's sign")
    session.commit()
    assert auto.title == "" and auto.question is not None
    login(client, world.people.manager)
    flat = " ".join(pdf_text(download(client, campaign_with_visits).data).split())
    section = flat.split("7. Corrective actions")[-1].split("8. Photo evidence")[0]
    assert " ".join(auto.question.text["en"].split()[:4]) in section
    assert "Repaint the older" not in flat
