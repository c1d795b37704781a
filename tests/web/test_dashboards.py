"""The manager's landing page ranks the latest finished campaign, not a wave just begun."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support import login


def test_home_ranks_latest_finished_campaign(client, world, make_visit, session):
    running = world.campaign_a
    finished = world.campaign(world.a, "servqual-branch")
    finished.starts_on = date.today() - timedelta(days=60)
    finished.ends_on = date.today() - timedelta(days=30)
    finished.name = {"en": "Finished wave", "vi": "Đợt đã xong"}
    running.name = {"en": "Running wave", "vi": "Đợt đang chạy"}
    for campaign in (running, finished):
        make_visit(campaign=campaign, status="approved")
    session.flush()
    login(client, world.people.manager)
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h2 id="latest">Finished wave</h2>' in html
    finished.ends_on = date.today() + timedelta(days=1)  # both running: the later end wins
    running.ends_on = date.today() + timedelta(days=5)
    session.flush()
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h2 id="latest">Running wave</h2>' in html
