"""Brand settings: weights sum to 100, logged, managers only, history kept until a
manager rescores a campaign."""

from __future__ import annotations

from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.visits import scores
from audit.visits.operations import save_answers
from tests.support import login
from tests.visits.test_visits_api import SERVQUAL_CODES

GOOD = {"weight_tangibles": 10, "weight_reliability": 30, "weight_responsiveness": 20,
        "weight_assurance": 20, "weight_empathy": 20, "critical_policy": "zero"}


def test_settings_saved_and_logged(client, world, session):
    login(client, world.people.manager)
    assert client.post("/settings/weights", data=GOOD).status_code == 302
    session.refresh(world.a.brand)
    assert world.a.brand.servqual_weights == {"tangibles": 10, "reliability": 30,
                                              "responsiveness": 20, "assurance": 20,
                                              "empathy": 20}
    assert world.a.brand.critical_policy == "zero"
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "brand")).one()
    assert entry.old_value["tangibles"] == 20 and entry.new_value["tangibles"] == 10
    assert (entry.old_value["critical_policy"], entry.new_value["critical_policy"]) == (
        "flag", "zero")


def test_weights_must_sum_to_100(client, world, session):
    login(client, world.people.manager)
    response = client.post("/settings/weights", data={**GOOD, "weight_empathy": 25},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "must add up to 100 (now 105)" in response.get_data(as_text=True)
    session.refresh(world.a.brand)
    assert world.a.brand.weight_empathy == 20


def test_weights_error_in_vietnamese(client, world):
    world.people.manager.locale = "vi"
    login(client, world.people.manager)
    response = client.post("/settings/weights", data={**GOOD, "weight_empathy": 25})
    assert "100" in response.get_data(as_text=True)
    assert "must add up" not in response.get_data(as_text=True)


def test_only_managers(client, world):
    login(client, world.people.owner)
    assert client.get("/settings/weights").status_code == 403
    login(client, world.people.shopper)
    assert client.post("/settings/rescore", data={"rescore-campaign": 1}).status_code == 403


def _scored_visit(make_visit, world, session):
    """A submitted SERVQUAL visit: tangibles all 7 (100), every other statement 4 (50)."""
    campaign = world.campaign(world.a, "servqual-branch")
    visit = make_visit(campaign=campaign, status="submitted")
    items = [{"question": code, "value": 7 if code.startswith("T") else 4}
             for code in SERVQUAL_CODES]
    save_answers(visit, items, world.people.shopper)
    scores.store(visit)
    session.flush()
    return campaign, visit


def test_rescore_applies_new_weights_only_when_asked(client, world, session, make_visit):
    campaign, visit = _scored_visit(make_visit, world, session)
    index_before = visit.servqual_index
    login(client, world.people.manager)
    client.post("/settings/weights", data={**GOOD, "weight_tangibles": 60,
                                           "weight_reliability": 10, "weight_responsiveness": 10,
                                           "weight_assurance": 10, "weight_empathy": 10})
    session.refresh(visit)
    assert visit.servqual_index == index_before
    assert visit.scores["basis"]["weights"]["tangibles"] == 20
    response = client.post("/settings/rescore", data={"rescore-campaign": campaign.id})
    assert response.status_code == 302
    session.refresh(visit)
    assert visit.scores["basis"]["weights"]["tangibles"] == 60
    # before: (20*100 + 80*50) / 100 = 60; after: (60*100 + 40*50) / 100 = 80
    assert index_before == 60.0
    assert visit.servqual_index == 80.0
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "rescore")).one()
    assert entry.new_value == {"visits": 1, "changed": 1}


def test_rescore_of_another_brands_campaign_is_refused(client, world):
    login(client, world.people.manager)
    response = client.post("/settings/rescore", data={"rescore-campaign": world.campaign_b.id})
    assert response.status_code == 422
