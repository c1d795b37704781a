"""The comparison page: charts for managers, own branches only for owners, none for shoppers."""

from __future__ import annotations

from tests.api.test_comparison_api import scored_visit
from tests.support import login


def test_manager_sees_ranking_heatmap_radar_and_trend(client, world, make_visit, session):
    for branch, score in zip(world.a.branches, (90, 70, 80, 60), strict=True):
        visit = scored_visit(make_visit, branch, score, tangibles=score)
        visit.score_empathy = score - 10
    session.commit()
    login(client, world.people.manager)
    page = client.get(f"/comparison?campaign={world.campaign_a.id}",
                      headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    main = html.split("<main", 1)[1]  # the charts; the top bar has the bell's icon
    assert main.count("<svg") == 3
    assert "Scores by branch, dimension and step" in html
    assert "a branch 0 against the brand average" in html  # the top branch by default
    assert "90.0" in html and "75.0" in html  # a branch's score, the brand average


def test_owner_page_names_only_own_branches(client, world, make_visit, session):
    scored_visit(make_visit, world.a.branches[0], 60)
    scored_visit(make_visit, world.a.branches[1], 100)
    session.commit()
    login(client, world.people.owner)
    html = client.get(f"/comparison?campaign={world.campaign_a.id}").get_data(as_text=True)
    assert world.a.branches[0].name in html
    assert world.a.branches[1].name not in html
    assert world.people.shopper.name not in html


def test_shopper_and_other_brand(client, world, make_visit):
    login(client, world.people.shopper)
    assert client.get("/comparison").status_code == 403
    client.post("/logout")
    login(client, world.people.other_manager)
    assert client.get(f"/comparison?campaign={world.campaign_a.id}").status_code == 404


def test_the_scope_row_has_its_dimension_values_and_tables_say_they_scroll(client, world):
    """Defect 12: the "branches in scope" row had no dimension values; wide tables lost
    columns without a cue (every table frame is a labelled, focusable scroll region)."""
    import re

    from audit.comparison import service

    data = service.branch_comparison(world.people.manager, world.campaign_a.id)
    assert set(data["scope_dimensions"]) == {"tangibles", "reliability", "responsiveness",
                                             "assurance", "empathy"}
    login(client, world.people.manager)
    html = client.get(f"/comparison?campaign={world.campaign_a.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    scope_row = html[html.index("Branches in scope"):]
    scope_row = scope_row[:scope_row.index("</tr>")]
    assert scope_row.count('class="num dim"') == 5
    frames = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert frames and all('tabindex="0"' in f and 'role="region"' in f for f in frames)


def test_pages_open_on_the_latest_campaign_with_results(client, world, make_visit, session):
    """Defect 10: the comparison page and the report form opened on the newest campaign
    even when it had no results (all "—", n = 0)."""
    from datetime import date, timedelta

    scored_visit(make_visit, world.a.branches[0], 80)
    empty = world.campaign(world.a)
    empty.starts_on = date.today() - timedelta(days=1)
    empty.name = {"en": "Wave not started", "vi": "Đợt chưa có kết quả"}
    session.flush()
    login(client, world.people.manager)
    page = client.get("/comparison", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<option value="{world.campaign_a.id}" selected' in page
    library = client.get("/reports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<option value="{world.campaign_a.id}" selected' in library
    assert f'<option value="{empty.id}" selected' not in library
