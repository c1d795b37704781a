"""An admin belongs to no brand: on the brand settings and targets pages they pick the brand
with `?brand=` (the picker the branch and campaign pages have), and every form, link and
redirect stays on it. A brand id out of reach answers 404 and changes nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.targets import Target
from tests.support import login
from tests.web.test_settings import GOOD

EN = {"Accept-Language": "en"}
NO_SUCH_BRAND = 2_000_000_000
TARGET = {"label": "", "scope": "brand", "metric": "empathy", "value": "85",
          "due_on": (date.today() + timedelta(days=30)).isoformat(), "region": "",
          "branch": ""}


def picker_options(html: str) -> list[tuple[str, bool]]:
    """(brand name, selected) for each option of the brand picker, in order."""
    picker = re.search(r'<form method="get" class="inline-form brand-picker">.*?</form>',
                       html, re.S)
    assert picker, "no brand picker"
    return [(name, bool(selected)) for selected, name in re.findall(
        r'<option value="\d+"( selected)?>([^<]+)</option>', picker.group(0))]


@pytest.mark.parametrize("path", ["/settings/weights", "/targets", "/targets/new"])
def test_admin_sees_the_brand_picker_on_the_first_brand(client, world, path):
    login(client, world.people.admin)
    response = client.get(path, headers=EN)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if path != "/targets/new":
        assert picker_options(html) == [("Brand a", True), ("Brand b", False)]
    assert "· Brand a" in html


@pytest.mark.parametrize("path", ["/settings/weights", "/targets"])
def test_admin_picks_another_brand(client, world, path):
    login(client, world.people.admin)
    html = client.get(f"{path}?brand={world.b.brand.id}", headers=EN).get_data(as_text=True)
    assert picker_options(html) == [("Brand a", False), ("Brand b", True)]
    assert "· Brand b" in html and "· Brand a" not in html


def test_admin_saves_weights_in_the_brand_picked(client, world, session):
    admin, b = world.people.admin, world.b.brand
    login(client, admin)
    html = client.get(f"/settings/weights?brand={b.id}").get_data(as_text=True)
    for endpoint in ("weights", "privacy", "rescore"):
        assert f'action="/settings/{endpoint}?brand={b.id}"' in html
    response = client.post(f"/settings/weights?brand={b.id}", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/settings/weights?brand={b.id}"
    session.refresh(b)
    session.refresh(world.a.brand)
    assert b.servqual_weights == {"tangibles": 10, "reliability": 30, "responsiveness": 20,
                                  "assurance": 20, "empathy": 20}
    assert b.critical_policy == "zero"
    assert world.a.brand.weight_tangibles == 20 and world.a.brand.critical_policy == "flag"
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "brand")).one()
    assert (entry.entity_id, entry.actor_id, entry.action) == (b.id, admin.id, "settings")


def test_admin_privacy_and_rescore_stay_in_the_brand(client, world, session):
    b = world.b.brand
    login(client, world.people.admin)
    response = client.post(f"/settings/privacy?brand={b.id}",
                           data={"privacy-retention_months": "36"})
    assert response.headers["Location"] == f"/settings/weights?brand={b.id}#privacy"
    session.refresh(b)
    session.refresh(world.a.brand)
    assert (b.retention_months, world.a.brand.retention_months) == (36, 24)
    # brand A's campaign is not among brand B's choices
    refused = client.post(f"/settings/rescore?brand={b.id}",
                          data={"rescore-campaign": world.campaign_a.id}, headers=EN)
    assert refused.status_code == 422
    done = client.post(f"/settings/rescore?brand={b.id}",
                       data={"rescore-campaign": world.campaign_b.id})
    assert done.headers["Location"] == f"/settings/weights?brand={b.id}"


def test_admin_creates_a_target_in_the_brand_picked(client, world, session):
    b = world.b.brand
    login(client, world.people.admin)
    html = client.get(f"/targets?brand={b.id}").get_data(as_text=True)
    assert f'href="/targets/new?brand={b.id}"' in html
    assert f'<input type="hidden" name="brand" value="{b.id}">' in html
    response = client.post(f"/targets/new?brand={b.id}", data=TARGET)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/targets?brand={b.id}"
    target = session.scalars(select(Target)).one()
    assert (target.brand_id, target.scope, target.metric, target.value) == (
        b.id, "brand", "empathy", 85.0)
    listed = client.get(f"/targets?brand={b.id}", headers=EN).get_data(as_text=True)
    assert f"/targets/{target.id}/edit" in listed
    other = client.get(f"/targets?brand={world.a.brand.id}").get_data(as_text=True)
    assert f"/targets/{target.id}/edit" not in other
    # a region of brand A in brand B's form: refused, nothing saved
    forged = client.post(f"/targets/new?brand={b.id}", headers=EN, data=TARGET | {
        "scope": "region", "region": str(world.a.regions[0].id)})
    assert forged.status_code == 422
    assert "Choose a region of your brand." in forged.get_data(as_text=True)
    assert session.scalars(select(Target)).all() == [target]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/settings/weights"), ("post", "/settings/weights"),
    ("post", "/settings/privacy"), ("post", "/settings/rescore"),
    ("get", "/targets"), ("get", "/targets/new"), ("post", "/targets/new"),
])
def test_forged_brand_id_answers_404_and_saves_nothing(client, world, session, method, path):
    login(client, world.people.admin)
    data = GOOD | TARGET | {"privacy-retention_months": "12"} if method == "post" else None
    response = getattr(client, method)(f"{path}?brand={NO_SUCH_BRAND}", data=data)
    assert response.status_code == 404
    assert session.scalars(select(AuditLog)).all() == []
    assert session.scalars(select(Target)).all() == []


@pytest.mark.parametrize("path", ["/settings/weights", "/targets", "/targets/new"])
def test_a_manager_cannot_pick_another_brand(client, world, path):
    login(client, world.people.manager)
    assert client.get(f"{path}?brand={world.b.brand.id}").status_code == 404
    own = client.get(path).get_data(as_text=True)
    assert "brand-picker" not in own and "· Brand a" in own
