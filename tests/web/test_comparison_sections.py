"""The comparison page's sections: weakest questions, data tables of the charts, the trend
picker, and top and bottom branches with "show all" when there are many."""

from __future__ import annotations

from audit.models.orgs import Branch
from tests.api.test_comparison_numbers import answered_visit
from tests.support import login


def test_weakest_questions_and_chart_tables(client, world, make_visit, session):
    answered_visit(make_visit, world, world.a.branches[0], {"P2.1": False, "P1.1": True})
    answered_visit(make_visit, world, world.a.branches[1], {"P2.1": True, "P1.1": True})
    session.flush()
    login(client, world.people.manager)
    html = client.get(f"/comparison?campaign={world.campaign_a.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    weakest = html[html.index('id="weakest-title"'):]
    assert weakest.index("P2.1") < weakest.index("P1.1")
    assert "50.0 %" in weakest and "A staff member greeted you." in weakest
    for caption in ("Heat map as a table", "Radar as a table", "Trend as a table"):
        assert caption in html
    assert "<title>" in html and "<desc>" in html
    assert 'name="trend"' not in html  # one campaign: nothing to pick for the trend


def test_many_branches_show_top_and_bottom_then_all(client, world, make_visit, session):
    extra = [Branch(brand=world.a.brand, region=world.a.regions[0], code=f"AX{i:02d}",
                    name=f"extra branch {i:02d}", address="x") for i in range(40)]
    session.add_all(extra)
    world.campaign_a.branches.extend(extra)
    for i, branch in enumerate(extra):
        make_visit(branch=branch, status="approved").score_overall = 50 + i
    session.flush()
    login(client, world.people.manager)
    url = f"/comparison?campaign={world.campaign_a.id}"
    html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    ranking = html[html.index('id="ranking-title"'):html.index('id="heat"')]
    assert "extra branch 39" in ranking and "extra branch 00" in ranking
    assert "extra branch 20" not in ranking
    assert "20 branches not shown" in ranking and "Show all 40 branches" in ranking
    everything = client.get(url + "&all=1", headers={"Accept-Language": "en"})
    assert "extra branch 20" in everything.get_data(as_text=True)
    radar = client.get(url + f"&branch={extra[20].id}", headers={"Accept-Language": "en"})
    assert "extra branch 20 against the brand average" in radar.get_data(as_text=True)


def test_trend_picker_keeps_the_chosen_campaigns(client, world, session):
    earlier = world.campaign(world.a)
    login(client, world.people.manager)
    url = f"/comparison?campaign={world.campaign_a.id}&trend={earlier.id}"
    html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'name="trend" value="{earlier.id}" checked' in html
    assert f'name="trend" value="{world.campaign_a.id}" >' in html
