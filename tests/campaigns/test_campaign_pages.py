"""Campaign pages: list, create/edit (adding only once visits exist), generating visits,
assigning by hand and automatically, access per role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from audit.models.auditlog import AuditLog
from audit.models.campaigns import Campaign
from audit.models.checklists import ChecklistVersion
from audit.models.visits import Visit
from tests.support import login

EN = {"Accept-Language": "en"}


def _visits(session, campaign):
    return list(session.scalars(select(Visit).where(Visit.campaign_id == campaign.id)
                                .order_by(Visit.branch_id, Visit.due_from, Visit.id)))


def _form(world, **changes):
    today = date.today()
    data = {
        "name_vi": "Đợt mới", "name_en": "New wave",
        "checklist_version": world.a.versions["servqual-branch"].id,
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=29)).isoformat(),
        "visits_per_branch": 1, "scenario_vi": "Hỏi về trả góp", "scenario_en": "Ask about "
        "instalments", "allow_claims": "y", "branches": [world.a.branches[0].id],
    }
    return {**data, **changes}


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("manager", 200), ("other_manager", 200), ("owner", 403), ("shopper", 403)])
@pytest.mark.parametrize("path", ["/campaigns", "/campaigns/new"])
def test_pages_by_role(client, world, role, status, path):
    login(client, getattr(world.people, role))
    assert client.get(path).status_code == status


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("manager", 200), ("other_manager", 404), ("owner", 403), ("shopper", 403)])
@pytest.mark.parametrize("path", ["/campaigns/{id}", "/campaigns/{id}/edit"])
def test_campaign_of_another_brand_is_not_found(client, world, role, status, path):
    login(client, getattr(world.people, role))
    assert client.get(path.format(id=world.campaign_a.id)).status_code == status


@pytest.mark.parametrize(("role", "status"), [("other_manager", 404), ("owner", 403),
                                             ("shopper", 403)])
@pytest.mark.parametrize("action", ["generate", "auto-assign", "assign", "unassign"])
def test_posts_to_another_brands_campaign(client, world, role, status, action):
    login(client, getattr(world.people, role))
    assert client.post(f"/campaigns/{world.campaign_a.id}/{action}").status_code == status


def test_list_counts_visits_by_status(client, world, make_visit):
    make_visit(status="open")
    make_visit(status="assigned")
    make_visit(status="assigned", branch=world.a.branches[1])
    login(client, world.people.manager)
    page = client.get("/campaigns", headers=EN).get_data(as_text=True)
    assert "Wave care-protocol-in-person" in page
    row = page.split("Wave care-protocol-in-person")[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">2</td><td class="num">0</td>' in row
    assert "Đợt care-protocol-in-person" not in page
    assert world.campaign_b.name["en"] not in page or world.campaign_b.name["en"] == (
        world.campaign_a.name["en"])


def test_create_campaign_by_region_and_channel_from_version(client, world, session):
    login(client, world.people.manager)
    north = world.a.regions[0]
    response = client.post("/campaigns/new", data=_form(world, branches=[],
                                                        regions=[north.id]))
    assert response.status_code == 302
    campaign = session.scalars(select(Campaign).where(Campaign.name["en"].as_string()
                                                      == "New wave")).one()
    assert sorted(b.code for b in campaign.branches) == ["A00", "A02"]
    assert campaign.channel == world.a.versions["servqual-branch"].channel
    assert campaign.allow_claims is True
    assert campaign.scenario == {"vi": "Hỏi về trả góp", "en": "Ask about instalments"}
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "campaign",
                                                   AuditLog.entity_id == campaign.id)).one()
    assert entry.action == "create"


def test_create_by_franchisee_and_all(client, world, session):
    login(client, world.people.manager)
    client.post("/campaigns/new", data=_form(world, name_en="F", branches=[],
                                             franchisees=[world.a.other_franchisee.id]))
    client.post("/campaigns/new", data=_form(world, name_en="All", branches=[],
                                             all_branches="y"))
    campaigns = {c.name["en"]: c for c in session.scalars(
        select(Campaign).where(Campaign.brand_id == world.a.brand.id))}
    assert [b.code for b in campaigns["F"].branches] == ["A01"]
    assert [b.code for b in campaigns["All"].branches] == ["A00", "A01", "A02", "A03"]


def test_invalid_campaign_keeps_values(client, world, session):
    login(client, world.people.manager)
    before = session.scalar(select(func.count()).select_from(Campaign))
    response = client.post("/campaigns/new", data=_form(
        world, name_vi="", name_en="", branches=[], ends_on="2000-01-01",
        scenario_vi="Giữ nguyên"), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at least one language" in page and "Choose at least one branch." in page
    assert "The end must not be before the start." in page
    assert "Giữ nguyên" in page
    assert session.scalar(select(func.count()).select_from(Campaign)) == before


def test_draft_or_other_brand_version_is_refused(client, world, session):
    published = world.a.versions["servqual-branch"]
    draft = ChecklistVersion(checklist=published.checklist, number=99,
                             channel=published.channel)
    session.add(draft)
    session.flush()
    login(client, world.people.manager)
    response = client.post("/campaigns/new", data=_form(world, checklist_version=draft.id))
    assert response.status_code == 422
    response = client.post("/campaigns/new", data=_form(
        world, checklist_version=world.b.versions["care-protocol-in-person"].id))
    assert response.status_code == 422


def test_other_brand_branches_are_ignored(client, world, session):
    login(client, world.people.manager)
    response = client.post("/campaigns/new", data=_form(
        world, branches=[world.b.branches[0].id]))
    assert response.status_code == 422  # not a choice on this brand's form


def test_generate_is_idempotent_and_splits_the_period(client, world, session):
    campaign = world.campaign_a
    campaign.visits_per_branch = 2
    session.flush()
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{campaign.id}/generate", headers=EN)
    assert response.status_code == 302
    visits = _visits(session, campaign)
    assert len(visits) == 8
    assert {v.status for v in visits} == {"open"}
    assert {v.shopper_id for v in visits} == {None}
    first, second = visits[0], visits[1]
    # 21 days split in two: days 0-9 and 10-20.
    assert (first.due_from, first.due_until) == (campaign.starts_on,
                                                 campaign.starts_on + timedelta(days=9))
    assert (second.due_from, second.due_until) == (campaign.starts_on + timedelta(days=10),
                                                   campaign.ends_on)
    client.post(f"/campaigns/{campaign.id}/generate")
    assert len(_visits(session, campaign)) == 8
    page = client.get(f"/campaigns/{campaign.id}", headers=EN).get_data(as_text=True)
    assert "All visits generated" in page


def test_edit_after_visits_only_adds(client, world, session, make_visit):
    campaign = world.campaign_a
    make_visit(branch=world.a.branches[0], status="in_progress")
    login(client, world.people.manager)
    base = _form(world, checklist_version=campaign.checklist_version_id,
                 branches=[b.id for b in world.a.branches])
    response = client.post(f"/campaigns/{campaign.id}/edit", headers=EN, data={
        **base, "branches": [b.id for b in world.a.branches[1:]]})
    assert response.status_code == 422
    assert "These branches already have visits and stay in the campaign: A00." in \
        response.get_data(as_text=True)
    response = client.post(f"/campaigns/{campaign.id}/edit", headers=EN, data={
        **base, "checklist_version": world.a.versions["servqual-branch"].id})
    assert "cannot change now" in response.get_data(as_text=True)
    session.refresh(campaign)
    assert len(campaign.branches) == 4
    # Adding a visit per branch is fine; the started visit stays.
    assert client.post(f"/campaigns/{campaign.id}/edit", data={
        **base, "visits_per_branch": 2}).status_code == 302
    client.post(f"/campaigns/{campaign.id}/generate")
    assert len(_visits(session, campaign)) == 8
    response = client.post(f"/campaigns/{campaign.id}/edit", headers=EN, data={
        **base, "visits_per_branch": 1})
    assert "cannot go below that" in response.get_data(as_text=True)


def test_assign_by_hand_and_unassign(client, world, session, make_visit):
    one = make_visit(status="open", branch=world.a.branches[0])
    two = make_visit(status="open", branch=world.a.branches[1])
    started = make_visit(status="in_progress", branch=world.a.branches[2])
    shopper = world.people.shopper
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{world.campaign_a.id}/assign", headers=EN, data={
        "visits": [one.id, two.id, started.id], "shopper": shopper.id})
    assert response.status_code == 302
    session.refresh(one)
    session.refresh(two)
    assert (one.status, one.shopper_id, two.status) == ("assigned", shopper.id, "assigned")
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Visits assigned to Nguyễn Bí Mật: 2." in page
    assert "no longer open: A02" in page
    moves = session.scalars(select(AuditLog).where(AuditLog.entity_id == one.id,
                                                   AuditLog.action == "status")).all()
    assert [(m.old_value, m.new_value) for m in moves] == [("open", "assigned")]
    client.post(f"/campaigns/{world.campaign_a.id}/unassign", data={"unassign": one.id})
    session.refresh(one)
    assert (one.status, one.shopper_id) == ("open", None)
    response = client.post(f"/campaigns/{world.campaign_a.id}/unassign",
                           data={"unassign": started.id})
    session.refresh(started)
    assert started.status == "in_progress"


def test_assign_by_hand_respects_twice_in_a_row(client, world, session, make_visit):
    earlier = world.campaign(world.a)
    earlier.starts_on -= timedelta(days=60)
    make_visit(campaign=earlier, branch=world.a.branches[0], status="approved").due_from = (
        earlier.starts_on)
    fresh = make_visit(status="open", branch=world.a.branches[0])
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{world.campaign_a.id}/assign", headers=EN, data={
        "visits": [fresh.id], "shopper": world.people.shopper.id})
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "made the previous visit at: A00" in page
    session.refresh(fresh)
    assert fresh.status == "open"


def test_assign_needs_visits_and_a_shopper(client, world, make_visit):
    make_visit(status="open")
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{world.campaign_a.id}/assign", headers=EN,
                           data={"shopper": 0})
    assert response.status_code == 422
    assert "Tick at least one visit and choose a shopper." in response.get_data(as_text=True)


def test_auto_assign_balances_and_never_twice(client, world, session, make_visit, make_user):
    # The panel is the world's two shoppers; brand-new shoppers would join it, so count
    # only ours (ids are known) — other tests' shoppers are rolled back.
    a, b = world.people.shopper, world.people.other_shopper
    previous = make_visit(branch=world.a.branches[0], status="approved", shopper=a)
    previous.due_from = world.campaign_a.starts_on - timedelta(days=30)
    make_visit(branch=world.a.branches[3], status="in_progress", shopper=b)  # b has load 1
    opens = [make_visit(status="open", branch=branch) for branch in world.a.branches[:3]]
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{world.campaign_a.id}/auto-assign", headers=EN)
    assert response.status_code == 302
    for visit in opens:
        session.refresh(visit)
    # Branch A00's previous visit was a's: it goes to b even though b is busier.
    assert [v.shopper_id for v in opens] == [b.id, a.id, a.id]
    assert {v.status for v in opens} == {"assigned"}
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "auto_assign")).one()
    assert entry.new_value == {"assigned": 3, "left_open": 0}


def test_auto_assign_reports_visits_left_open(client, world, session, make_visit):
    world.people.other_shopper.active = False
    previous = make_visit(branch=world.a.branches[0], status="approved")
    previous.due_from = world.campaign_a.starts_on - timedelta(days=30)
    stuck = make_visit(status="open", branch=world.a.branches[0])
    login(client, world.people.manager)
    response = client.post(f"/campaigns/{world.campaign_a.id}/auto-assign", headers=EN)
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Left open, no eligible shopper: A00." in page
    session.refresh(stuck)
    assert stuck.status == "open"
