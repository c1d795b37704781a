"""What the portal must never show an owner: another franchisee's branches, a shopper's
identity, an unpublished visit; who may open the portal at all."""

from __future__ import annotations

import pytest

from tests.support import login

EN = {"Accept-Language": "en"}


def _owner_pages(world, portal):
    mine = world.a.branches[0]
    return ["/", "/portal", f"/portal?campaign={world.campaign_a.id}",
            f"/portal/branches/{mine.id}", f"/portal/visits/{portal.mine.id}", "/actions",
            f"/actions?branch={mine.id}"]


def _forbidden_words(world):
    other, unowned = world.a.branches[1], world.a.branches[2]
    return [other.name, other.code, unowned.name, unowned.code, world.a.other_franchisee.name,
            world.people.shopper.name, world.people.shopper.email,
            world.people.other_shopper.name, world.people.other_shopper.email,
            world.b.branches[0].name]


def test_owner_pages_never_name_other_branches_or_shoppers(client, world, portal):
    login(client, world.people.owner)
    for url in _owner_pages(world, portal):
        response = client.get(url, headers=EN)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        for word in _forbidden_words(world):
            assert word not in html, (url, word)
        assert f"/portal/visits/{portal.draft.id}\"" not in html, url
        assert f"/portal/visits/{portal.theirs.id}\"" not in html, url


def test_owner_home_shows_own_branch_and_anonymous_brand_numbers(client, world, portal):
    login(client, world.people.owner)
    html = client.get("/portal", headers=EN).get_data(as_text=True)
    assert world.a.branches[0].name in html
    assert "Brand average" in html and "P90" in html
    assert "3 branches, n = 3" in html  # the brand counts all three published branches


def test_summary_api_has_only_own_branches_and_no_identities(client, world, portal,
                                                             token_for):
    response = client.get(f"/api/v1/portal/summary?campaign={world.campaign_a.id}",
                          headers=token_for(world.people.owner))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert [b["id"] for b in response.get_json()["branches"]] == [world.a.branches[0].id]
    for word in _forbidden_words(world):
        assert word not in text, word
    assert response.get_json()["brand"]["n"] == 3  # published visits only, draft left out


@pytest.mark.parametrize("url", ["/portal/branches/{theirs_branch}", "/portal/visits/{theirs}",
                                 "/portal/visits/{draft}", "/portal/branches/{other_brand}",
                                 "/portal/visits/999999", "/portal?campaign={campaign_b}"])
def test_other_franchisees_and_unpublished_records_answer_404(client, world, portal, url):
    login(client, world.people.owner)
    url = url.format(theirs_branch=world.a.branches[1].id, theirs=portal.theirs.id,
                     draft=portal.draft.id, other_brand=world.b.branches[0].id,
                     campaign_b=world.campaign_b.id)
    assert client.get(url).status_code == 404


def test_dispute_of_another_franchisees_visit_answers_404(client, world, portal):
    login(client, world.people.owner)
    response = client.post(f"/portal/visits/{portal.theirs.id}/disputes",
                           data={"code": "P3.2", "comment": "Sai."})
    assert response.status_code == 404


def test_other_owner_sees_their_branch_not_mine(client, world, portal):
    login(client, world.people.other_owner)
    html = client.get("/portal", headers=EN).get_data(as_text=True)
    assert world.a.branches[1].name in html and world.a.branches[0].name not in html
    assert client.get(f"/portal/visits/{portal.mine.id}").status_code == 404


@pytest.mark.parametrize("who", ["manager", "other_manager", "shopper", "admin"])
def test_portal_is_for_owners_only(client, world, portal, who):
    """Managers and admins have the workspace (review, comparison) that shows more; the
    portal is the owner's view, so everyone else gets 403 (an admin too: no franchisee)."""
    login(client, getattr(world.people, who))
    for url in ["/portal", f"/portal/branches/{world.a.branches[0].id}",
                f"/portal/visits/{portal.mine.id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/portal/visits/{portal.mine.id}/disputes",
                       data={"code": "P3.1", "comment": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["manager", "shopper", "admin"])
def test_summary_api_is_for_owners_only(client, world, portal, token_for, who):
    response = client.get("/api/v1/portal/summary", headers=token_for(getattr(world.people, who)))
    assert response.status_code == 403


def test_anonymous_is_sent_to_log_in(client, portal):
    assert client.get("/portal").status_code == 302
