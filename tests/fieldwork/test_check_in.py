"""Presence check-in: off by default; the distance to the branch against the campaign's
radius; refusals recorded; the reviewer sees the distance and the flag, owners nothing."""

from __future__ import annotations

import pytest

from audit.review.flags import review_flags
from audit.visits.presence import distance_m
from tests.support import login

EN = {"Accept-Language": "en"}


def test_distance_between_two_points_in_metres():
    # Hoàn Kiếm lake to the Opera House, Hà Nội: about 750 m.
    assert 700 < distance_m(21.0288, 105.8525, 21.0245, 105.8577) < 800
    assert distance_m(10.0, 106.0, 10.0, 106.0) == 0


@pytest.fixture
def asked(world, make_visit, session):
    world.campaign_a.check_in = True
    world.campaign_a.check_in_radius_m = 300
    branch = world.a.branches[0]
    branch.latitude, branch.longitude = 21.0288, 105.8525
    visit = make_visit(branch=branch)
    session.commit()
    return visit


def post(client, visit, headers, **body):
    return client.post(f"/api/v1/visits/{visit.id}/check-in", json=body, headers=headers)


def test_not_asked_means_refused(client, world, make_visit, token_for):
    visit = make_visit()
    answer = post(client, visit, token_for(world.people.shopper), latitude=21, longitude=105)
    assert answer.status_code == 409


@pytest.mark.parametrize(("lat", "lon", "status", "flag"), [
    (21.0300, 105.8530, "inside", None),
    (21.0245, 105.8577, "outside", "far_from_branch"),
])
def test_inside_and_outside_the_radius(client, world, asked, token_for, session,
                                       lat, lon, status, flag):
    answer = post(client, asked, token_for(world.people.shopper), latitude=lat, longitude=lon,
                  accuracy=12.5, at="2026-12-07T09:00:00+07:00")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == status and body["radius_m"] == 300
    session.refresh(asked)
    flags = review_flags(asked)
    assert ("far_from_branch" in flags) == (flag == "far_from_branch")
    assert "no_check_in" not in flags


def test_denied_and_missing_check_ins_are_flagged(client, world, asked, token_for, session):
    assert "no_check_in" in review_flags(asked)
    answer = post(client, asked, token_for(world.people.shopper), refused="denied")
    assert answer.get_json()["status"] == "denied"
    session.refresh(asked)
    assert asked.check_in.latitude is None and "no_check_in" in review_flags(asked)


@pytest.mark.parametrize("body", [
    {"latitude": 95, "longitude": 105}, {"latitude": 21}, {"refused": "bored"},
    {"latitude": "NaN", "longitude": 105}, {"latitude": [1], "longitude": 2},
])
def test_hostile_positions_are_refused(client, world, asked, token_for, body):
    answer = client.post(f"/api/v1/visits/{asked.id}/check-in", json=body,
                         headers=token_for(world.people.shopper))
    assert answer.status_code == 422


def test_another_shoppers_visit_is_not_found(client, world, asked, token_for):
    answer = post(client, asked, token_for(world.people.other_shopper), latitude=21,
                  longitude=105)
    assert answer.status_code == 404


def test_reviewer_sees_distance_owner_sees_nothing(client, world, asked, token_for, session):
    from audit.visits import operations
    from tests.reports.conftest import fill

    post(client, asked, token_for(world.people.shopper), latitude=21.0245, longitude=105.8577)
    fill(asked, world.people.shopper)
    operations.submit(asked, world.people.shopper)
    session.commit()
    login(client, world.people.manager)
    page = client.get(f"/review/{asked.id}", headers=EN).get_data(as_text=True)
    assert "Checked in far from the branch" in page and "m from the branch (radius 300 m)" in page
    assert "Timeline" in page and "Report sent" in page


def test_the_form_may_ask_for_the_location_only_when_the_campaign_does(
        client, world, asked, make_visit):
    login(client, world.people.shopper)
    policy = client.get(f"/visits/{asked.id}").headers["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    world.campaign_a.check_in = False
    other = client.get(f"/visits/{asked.id}").headers["Permissions-Policy"]
    assert "geolocation=()" in other


def test_check_in_is_for_visits_in_person(client, world, session):
    """A phone or chat checklist has no place to arrive at: the campaign form refuses it."""
    from audit.campaigns import operations
    from audit.models.campaigns import Campaign

    phone = next(v for v in world.a.versions.values() if v.channel == "phone")
    data = {"version": phone, "branch_ids": [world.a.branches[0].id], "visits_per_branch": 1,
            "name": {"vi": "Gọi", "en": "Calls"}, "scenario": {}, "allow_claims": False,
            "starts_on": world.campaign_a.starts_on, "ends_on": world.campaign_a.ends_on,
            "check_in": True, "check_in_radius_m": 300}
    with pytest.raises(operations.CampaignRefused) as refused:
        operations.save_campaign(world.a.brand, None, data, world.people.manager)
    assert refused.value.problems == [("check_in_in_person", {})]
    session.rollback()
    assert all(c.name != data["name"] for c in session.query(Campaign))


def test_visits_sent_before_check_in_was_asked_are_not_flagged(world, make_visit, session):
    from datetime import UTC, datetime, timedelta

    visit = make_visit(status="submitted")
    visit.submitted_at = datetime.now(UTC) - timedelta(days=2)
    world.campaign_a.check_in = True
    world.campaign_a.check_in_since = datetime.now(UTC) - timedelta(days=1)
    session.flush()
    assert "no_check_in" not in review_flags(visit)
    visit.submitted_at = datetime.now(UTC)
    assert "no_check_in" in review_flags(visit)
