"""The workspace navigation shows each role only pages it may open, and every link works."""

from __future__ import annotations

import re

import pytest

from tests.support import login

# The entries for managers and admins only (the nav's entries name a rule of audit.access).
MANAGER_ONLY = {"review.queue", "disputes.queue", "targets.index", "campaigns.index",
                "checklists.index", "orgs.branches", "people.index", "settings.weights"}


def _links(html: str) -> list[str]:
    nav = re.search(r'<nav class="workspace".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


@pytest.mark.parametrize("role", ["manager", "owner", "shopper", "admin"])
def test_every_nav_link_opens_for_its_role(client, world, role):
    user = getattr(world.people, role)
    login(client, user)
    links = _links(client.get("/").get_data(as_text=True))
    if role in ("manager", "admin"):
        assert "/review" in links and "/comparison" in links
    if role == "manager":
        assert "/settings/weights" in links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_owner_and_shopper_see_no_manager_page(client, app, world):
    with app.test_request_context():
        from flask import url_for
        manager_urls = {url_for(e) for e in MANAGER_ONLY if e in app.view_functions}
    for user in (world.people.owner, world.people.shopper):
        login(client, user)
        assert not manager_urls & set(_links(client.get("/").get_data(as_text=True)))
