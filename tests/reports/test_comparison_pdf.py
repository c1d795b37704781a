"""The branch-comparison PDF: figures from the comparison service, both languages, the
print furniture, and the owner's rules (no other branch named, no shopper anywhere)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from audit.comparison.service import branch_comparison
from audit.reports.comparison_report import comparison_html
from audit.vocabulary import DIMENSIONS
from tests.api.test_comparison_api import scored_visit
from tests.reports.conftest import pdf_text
from tests.support import login


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


# Defect 16: the executive summary says the findings in words ----------------------------

DIMS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
STEPS = ("1", "2", "4", "5")  # no step 3 question answered: a gap, not a 0


def summary_visit(make_visit, branch, overall, dims, steps, critical=False, campaign=None):
    """A published visit with its stored scores set by hand (the comparison reads them)."""
    visit = make_visit(branch=branch, status="approved", campaign=campaign)
    visit.score_overall, visit.critical_fail = overall, critical
    for key, value in zip(DIMS, dims, strict=True):
        setattr(visit, f"score_{key}", value)
    for key, value in zip(STEPS, steps, strict=True):
        setattr(visit, f"score_step_{key}", value)
    visit.scores = {"critical_failures": ["P2.1"] if critical else []}
    return visit


@pytest.fixture
def findings_world(world, make_visit, session):
    """Brand A's campaign with five published visits worked out by hand, an earlier
    campaign, and two targets.

    branch  overall  T   R   Rs  A   E  | s1  s2  s4  s5 | critical
    A00       90     80  90  60  70 100 | 70  90  50  80 |
    A01       70     60  70  40  80  80 | 50  70  30 100 | yes
    A02       60     70  50  50  60  90 | 60  80  40  90 | yes
    A02       80     90  70  30  90  70 | 80 100  40  70 | yes
    A03       85     50  80  70  50  90 | 90  60  85  55 |
    brand     77.0   70  72  50  70  86 | 70  80  49  79   3 visits, 2 branches

    Earlier campaign: A00 60, A01 70 (mean 65.0). Targets: overall >= 80 for the brand
    (branch means 90, 70, 70, 85: 2 of 4 under), empathy >= 90 in the North (A00 100,
    A02 80: 1 of 2 under) and responsiveness >= 75 at A03 (70: under).
    """
    from datetime import date, timedelta

    from audit.models.targets import Target

    b0, b1, b2, b3 = world.a.branches
    for branch, overall, dims, steps, critical in (
            (b0, 90, (80, 90, 60, 70, 100), (70, 90, 50, 80), False),
            (b1, 70, (60, 70, 40, 80, 80), (50, 70, 30, 100), True),
            (b2, 60, (70, 50, 50, 60, 90), (60, 80, 40, 90), True),
            (b2, 80, (90, 70, 30, 90, 70), (80, 100, 40, 70), True),
            (b3, 85, (50, 80, 70, 50, 90), (90, 60, 85, 55), False)):
        summary_visit(make_visit, branch, overall, dims, steps, critical)
    earlier = world.campaign(world.a)
    earlier.starts_on = date.today() - timedelta(days=120)
    earlier.ends_on = date.today() - timedelta(days=90)
    earlier.name = {"en": "Spring wave", "vi": "Đợt mùa xuân"}
    for branch, overall in ((b0, 60), (b1, 70)):
        summary_visit(make_visit, branch, overall, (50,) * 5, (50,) * 4, campaign=earlier)
    due = date.today() + timedelta(days=60)
    session.add_all([
        Target(brand=world.a.brand, scope="brand", metric="overall", value=80, due_on=due),
        Target(brand=world.a.brand, scope="region", region=world.a.regions[0],
               metric="empathy", value=90, due_on=due),
        Target(brand=world.a.brand, scope="branch", branch=b3, metric="responsiveness",
               value=75, due_on=due)])
    session.commit()
    return world.campaign_a


def summary_page(client, campaign, lang, **scope) -> str:
    """The executive summary's text, on one line."""
    response = download(client, campaign, lang, **scope)
    assert response.status_code == 200
    flat = " ".join(pdf_text(response.data).split())
    heading = "1. Executive summary" if lang == "en" else "1. Tóm tắt điều hành"
    ranking = "2. Ranking and heat map" if lang == "en" else "2. Xếp hạng và bản đồ nhiệt"
    return flat.split(heading)[-1].split(ranking)[0]


MANAGER_SUMMARY = {  # the whole brand: compared with no one but itself
    "en": ["The brand: 77.0 on average over 5 visits (95 % CI 62.0–92.0).",
           "Strongest dimension: Empathy, 86.0.",
           "Weakest dimension: Responsiveness, 50.0.",
           "Strongest step: 2. Acknowledge, 80.0.",
           "Weakest step: 4. Offer a solution, 49.0.",
           "Change since Spring wave: +12.0 points (65.0 → 77.0).",
           "Critical fails: 3 visits in 2 branches.",
           "2 of 4 branches measured are under the target Overall score ≥ 80.",
           "1 of 2 branches measured is under the target Empathy ≥ 90 (a North).",
           "a branch 3 is under its target Responsiveness ≥ 75: 70.0."],
    "vi": ["Toàn thương hiệu: trung bình 77.0 trên 5 lượt khảo sát (KTC 95 % 62.0–92.0).",
           "Khía cạnh mạnh nhất: Sự đồng cảm, 86.0.",
           "Khía cạnh yếu nhất: Khả năng đáp ứng, 50.0.",
           "Bước mạnh nhất: 2. Ghi nhận",
           "Bước yếu nhất: 4. Đưa ra giải pháp, 49.0.",
           "Thay đổi so với Đợt mùa xuân: +12.0 điểm (65.0 → 77.0).",
           "Lỗi nghiêm trọng: 3 lượt khảo sát tại 2 chi nhánh.",
           "2 trong 4 chi nhánh đã đo chưa đạt mục tiêu Điểm tổng ≥ 80.",
           "1 trong 2 chi nhánh đã đo chưa đạt mục tiêu Sự đồng cảm ≥ 90 (a North).",
           "a branch 3 chưa đạt mục tiêu riêng Khả năng đáp ứng ≥ 75: 70.0."],
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_summary_says_the_findings_in_words(client, world, findings_world, lang):
    """Defect 16: the executive summary was a row of tiles; a reader of that page alone
    learns the strongest and weakest dimension and step, the change since the previous
    campaign, the critical fails and the branches under target, beside the radar."""
    login(client, world.people.manager)
    page = summary_page(client, findings_world, lang)
    for sentence in MANAGER_SUMMARY[lang]:
        assert sentence in page
    html = comparison_html(world.people.manager, {"campaign": findings_world.id}, lang)
    radar = html.split('id="summary"')[1].split('id="ranking"')[0].split(
        'class="chart summary-radar"')[1]  # on the same page
    assert f'aria-label="{"Whole brand" if lang == "en" else "Toàn thương hiệu"}"' in radar
    assert ("Empathy 86.0" if lang == "en" else "Sự đồng cảm 86.0") in radar


def test_a_region_is_compared_with_the_brand(client, world, findings_world):
    """A manager's report on a region: the region against the brand, in words and radar."""
    north = world.a.regions[0]  # A00 and A02
    login(client, world.people.manager)
    page = summary_page(client, findings_world, "en", region=north.id)
    for sentence in (f"{north.name}: 76.7 on average over 3 visits",
                     "the brand average is 77.0.",
                     "Strongest dimension: Empathy, 86.7 (brand 86.0).",
                     "Weakest dimension: Responsiveness, 46.7 (brand 50.0).",
                     "Critical fails: 2 visits in 1 branch."):
        assert sentence in page
    html = comparison_html(world.people.manager,
                           {"campaign": findings_world.id, "region": north.id}, "en")
    radar = html.split('class="chart summary-radar"')[1]
    assert f'aria-label="{north.name} against the brand average"' in radar


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_owners_summary_speaks_of_their_branches(client, world, findings_world, lang):
    login(client, world.people.owner)
    page = summary_page(client, findings_world, lang)
    own = world.a.franchisee.name  # the owner's report is their franchisee's, named
    expected = {
        "en": [f"{own}: 90.0 on average over 1 visit (95 % CI —); the brand average "
               "is 77.0.",
               "Strongest dimension: Empathy, 100.0 (brand 86.0).",
               "Weakest dimension: Responsiveness, 60.0 (brand 50.0).",
               "Strongest step: 2. Acknowledge, 90.0 (brand 80.0).",
               "Weakest step: 4. Offer a solution, 50.0 (brand 49.0).",
               "Change since Spring wave: +30.0 points (60.0 → 90.0).",
               "No critical fails in this scope.",
               "Every measured branch meets its targets."],
        "vi": [f"{own}: trung bình 90.0 trên 1 lượt khảo sát",
               "Khía cạnh mạnh nhất: Sự đồng cảm, 100.0 (thương hiệu 86.0).",
               "Thay đổi so với Đợt mùa xuân: +30.0 điểm (60.0 → 90.0).",
               "Không có lỗi nghiêm trọng trong phạm vi này.",
               "Mọi chi nhánh đã đo đều đạt mục tiêu."],
    }[lang]
    for sentence in expected:
        assert sentence in page
    for branch in world.a.branches[1:]:
        assert branch.name not in page


def test_a_first_campaign_and_a_fall_say_so(client, world, make_visit, session):
    """No earlier campaign: "first campaign"; a lower mean than before: a minus sign."""
    from datetime import date, timedelta

    b0 = world.a.branches[0]
    summary_visit(make_visit, b0, 50, (50,) * 5, (50,) * 4)
    session.commit()
    login(client, world.people.manager)
    assert ("First campaign: there is no earlier score to compare with."
            in summary_page(client, world.campaign_a, "en"))
    assert "Đợt khảo sát đầu tiên" in summary_page(client, world.campaign_a, "vi")
    earlier = world.campaign(world.a)
    earlier.starts_on = date.today() - timedelta(days=120)
    earlier.name = {"en": "Spring wave", "vi": "Đợt mùa xuân"}
    summary_visit(make_visit, b0, 62.5, (50,) * 5, (50,) * 4, campaign=earlier)
    session.commit()
    page = summary_page(client, world.campaign_a, "en")
    assert "Change since Spring wave: -12.5 points (62.5 → 50.0)." in page
    assert "No targets set for this scope." in page and "No critical fails" in page


def test_findings_edge_cases():
    """One dimension with a score is named once; a branch's own target counts that branch;
    the change is against the latest earlier campaign that has a score."""
    from audit.comparison.findings import change_since_previous, extremes, under_targets

    strongest, weakest = extremes({"tangibles": None, "empathy": 70.0}, {"empathy": 75.0})
    assert (strongest.key, strongest.value, strongest.brand, weakest) == (
        "empathy", 70.0, 75.0, None)
    assert extremes({"tangibles": None}, {}) == (None, None)
    branch_target = {"scope": "branch", "metric": "overall", "target": 80,
                     "scope_name": "A02", "current": 79.9, "branches_measured": None,
                     "branches_meeting": None, "branches_total": None}
    (under,) = under_targets([branch_target])
    assert (under.under, under.measured, under.scope_name) == (1, 1, "A02")
    assert under_targets([{**branch_target, "current": 80.0}]) == ()
    brand_target = {"scope": "brand", "metric": "empathy", "target": 85, "scope_name": None,
                    "current": 80, "branches_measured": 3, "branches_meeting": 1,
                    "branches_total": 5}
    (under,) = under_targets([brand_target])
    assert (under.under, under.measured, under.not_measured) == (2, 3, 2)

    def point(campaign, mean):
        return {"campaign": campaign, "name": {"en": f"C{campaign}"}, "scope": {"mean": mean}}

    trend = [point(1, 70.0), point(2, None), point(3, 64.5), point(4, 90.0)]
    change, earlier = change_since_previous(trend, 3)
    assert (change.campaign_name, change.before, change.delta, earlier) == (
        {"en": "C1"}, 70.0, -5.5, 2)
    assert change_since_previous(trend, 1) == (None, 0)
    assert change_since_previous(trend[1:], 3) == (None, 1)  # earlier, but without a score
