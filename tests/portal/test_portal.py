"""The owner's portal: the numbers beside the brand, the branch and visit pages, disputing
an answer from the page, and corrective actions reached from the portal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.actions import operations as actions
from audit.disputes import operations as disputes
from audit.models.disputes import Dispute
from audit.models.visits import Photo
from audit.portal import service
from audit.scoring import percentiles
from tests.support import login

EN = {"Accept-Language": "en"}
VI = {"Accept-Language": "vi"}


@pytest.mark.parametrize(("value", "expected"), [
    (50.0, {"low": None, "high": 10}), (60.0, {"low": 10, "high": 25}),
    (75.0, {"low": 50, "high": 75}), (95.0, {"low": 90, "high": None}),
    (90.0, {"low": 90, "high": None}), (None, None),
])
def test_position_between_percentiles(value, expected):
    cuts = {10: 55.0, 25: 65.0, 50: 70.0, 75: 80.0, 90: 90.0}
    assert service.position(value, cuts) == expected


def test_position_without_distribution_is_none():
    assert service.position(70.0, {p: None for p in service.POINTS}) is None


def test_summary_numbers_match_the_brand_and_the_comparison(world, portal):
    data = service.summary(world.people.owner)
    assert data["campaign"]["id"] == world.campaign_a.id
    assert [b["name"] for b in data["branches"]] == [world.a.branches[0].name]
    mine = data["branches"][0]
    assert mine["n"] == 1 and mine["mean"] == pytest.approx(portal.mine.score_overall)
    means = [portal.mine.score_overall, portal.theirs.score_overall,
             portal.unowned.score_overall]
    expected = percentiles(means, (10, 25, 50, 75, 90))
    assert data["brand"]["percentiles"] == {str(p): pytest.approx(v) for p, v in
                                            expected.items()}
    assert data["brand"]["mean"] == pytest.approx(sum(means) / 3)
    assert data["brand"]["branches"] == 3
    low, high = mine["position"]["low"], mine["position"]["high"]
    assert (low is None or expected[low] <= mine["mean"])
    assert (high is None or mine["mean"] < expected[high])
    assert set(mine["dimensions"]["reliability"]) >= {"mean", "n", "ci_low", "brand",
                                                      "position"}


def test_summary_api_returns_the_home_numbers(client, world, portal, token_for):
    body = client.get("/api/v1/portal/summary", headers=token_for(world.people.owner)).get_json()
    data = service.summary(world.people.owner)
    assert body["brand"]["percentiles"] == pytest.approx(data["brand"]["percentiles"])
    assert body["branches"][0]["mean"] == pytest.approx(data["branches"][0]["mean"])
    assert body["open_actions"] == data["open_actions"]


def test_summary_before_any_publication(client, world, token_for):
    assert service.summary(world.people.owner) is None
    login(client, world.people.owner)
    html = client.get("/portal", headers=EN).get_data(as_text=True)
    assert "No published visits yet." in html
    body = client.get("/api/v1/portal/summary", headers=token_for(world.people.owner)).get_json()
    assert body["branches"] == [] and body["campaign"] is None


def test_home_and_landing_page_in_both_languages(client, world, portal):
    login(client, world.people.owner)
    for url in ("/", "/portal"):
        en = client.get(url, headers=EN).get_data(as_text=True)
        assert "s distribution</h2>" in en and "P75" in en
        vi = client.get(url, headers=VI).get_data(as_text=True)
        assert "Phân bố của thương hiệu" in vi


def _action(visit, code, world):
    return actions.existing_for(visit, code) or actions.raise_action(
        branch=visit.branch, actor=world.people.manager, severity="minor", visit=visit,
        question_code=code)


def test_home_counts_open_actions_and_lists_open_disputes(client, world, portal, session):
    _action(portal.mine, "P3.1", world)
    _action(portal.theirs, "P3.2", world)  # another franchisee's: not counted
    dispute = disputes.open_dispute(portal.mine, "P3.1", "Nhân viên có chào.", world.people.owner)
    data = service.summary(world.people.owner)
    assert data["open_actions"] == 1
    assert [d["id"] for d in data["open_disputes"]] == [dispute.id]
    login(client, world.people.owner)
    html = client.get("/portal", headers=EN).get_data(as_text=True)
    assert f"/portal/visits/{portal.mine.id}#q-P3.1" in html


def test_branch_page_lists_published_visits_with_charts(client, world, portal):
    login(client, world.people.owner)
    html = client.get(f"/portal/branches/{world.a.branches[0].id}", headers=EN).get_data(
        as_text=True)
    assert f"/portal/visits/{portal.mine.id}\"" in html
    assert f"/portal/visits/{portal.draft.id}\"" not in html
    assert "<svg" in html and "Mean score over campaigns" in html
    assert "against the brand average" in html


def test_visit_page_shows_answers_points_photos_and_notes(client, world, portal, session):
    visit = portal.mine
    visit.reviewer_comment = "Quầy sạch, chào hỏi chậm."
    answer = next(a for a in visit.answers if a.question.code == "P3.1")
    answer.comment = "Không hỏi lại nhu cầu."
    session.add(Photo(visit=visit, question=answer.question, storage_key="t/portal.jpg",
                      content_type="image/jpeg", width=10, height=10, size_bytes=1,
                      sha256="p" * 64))
    session.commit()
    photo = session.scalars(select(Photo).where(Photo.visit_id == visit.id)).one()
    login(client, world.people.owner)
    html = client.get(f"/portal/visits/{visit.id}", headers=EN).get_data(as_text=True)
    assert "Quầy sạch, chào hỏi chậm." in html and "Không hỏi lại nhu cầu." in html
    assert "0.00 / 1" in html and "1.00 / 1" in html
    assert f'href="/photos/{photo.id}"' in html and f"/photos/{photo.id}/thumbnail" in html
    assert "Dispute this answer" in html
    assert world.people.shopper.name not in html


def test_dispute_from_the_page_then_its_status(client, world, portal, session):
    login(client, world.people.owner)
    url = f"/portal/visits/{portal.mine.id}/disputes"
    response = client.post(url, data={"code": "P3.1", "comment": "Nhân viên có hỏi lại.",
                                      "proposed_value": "yes"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"/portal/visits/{portal.mine.id}?disputed=P3.1#q-P3.1")
    confirmed = client.get(location, headers=EN).get_data(as_text=True)
    row = confirmed[confirmed.index('id="q-P3.1"'):]
    assert 'id="dispute-sent"' in row[:row.index("</tr>")]  # said at the question
    dispute = session.scalars(select(Dispute)).one()
    assert (dispute.comment, dispute.proposed_value) == ("Nhân viên có hỏi lại.", True)
    html = client.get(f"/portal/visits/{portal.mine.id}", headers=EN).get_data(as_text=True)
    assert "Awaiting decision" in html
    disputes.reject(dispute, "Ảnh cho thấy nhân viên không hỏi.", world.people.manager, None)
    html = client.get(f"/portal/visits/{portal.mine.id}", headers=EN).get_data(as_text=True)
    assert "Rejected" in html and "Ảnh cho thấy nhân viên không hỏi." in html


def test_refused_dispute_keeps_the_comment_and_says_why(client, world, portal, session):
    login(client, world.people.owner)
    url = f"/portal/visits/{portal.mine.id}/disputes"
    empty = client.post(url, data={"code": "P3.1", "comment": "  "}, headers=EN)
    assert empty.status_code == 422
    assert "Say what is wrong with this answer." in empty.get_data(as_text=True)
    bad = client.post(url, data={"code": "P3.1", "comment": "Giữ nguyên lời này",
                                 "proposed_value": "maybe"}, headers=EN)
    assert bad.status_code == 422
    assert "Giữ nguyên lời này" in bad.get_data(as_text=True)
    assert client.post(url, data={"code": "P3.1", "comment": "Lần một"}).status_code == 302
    again = client.post(url, data={"code": "P3.1", "comment": "Lần hai"}, headers=VI)
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "Lần hai" in page and "đang có một khiếu nại chưa giải quyết" in page
    assert session.scalar(select(Dispute.comment)) == "Lần một"


def test_owner_works_on_own_action_not_another_franchisees(app, client, world, portal,
                                                           session):
    mine = _action(portal.mine, "P3.1", world)
    theirs = _action(portal.theirs, "P3.2", world)
    session.commit()
    login(client, world.people.owner)
    detail = client.get(f"/actions/{mine.id}", headers=EN).get_data(as_text=True)
    assert f"/portal/visits/{portal.mine.id}\"" in detail  # the source visit, in the portal
    assert client.post(f"/actions/{mine.id}/status",
                       data={"target": "in_progress"}).status_code == 302
    session.refresh(mine)
    assert mine.status == "in_progress"
    assert client.get(f"/actions/{theirs.id}").status_code == 404
    assert client.post(f"/actions/{theirs.id}/status",
                       data={"target": "in_progress"}).status_code == 404


def test_pdf_links_on_the_visit_page_and_home_open_the_owners_reports(client, world, portal):
    login(client, world.people.owner)
    html = client.get(f"/portal/visits/{portal.mine.id}", headers=EN).get_data(as_text=True)
    link = f"/reports/visits/{portal.mine.id}.pdf?lang=vi"
    assert link in html
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    home = client.get("/portal", headers=EN).get_data(as_text=True)
    campaign = world.campaign_a.id
    assert f"/reports/comparison.pdf?campaign={campaign}&amp;lang=en" in home
    assert client.get(f"/reports/visits/{portal.draft.id}.pdf?lang=vi").status_code == 404
