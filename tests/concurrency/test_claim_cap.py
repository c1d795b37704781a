"""One shopper claiming several open visits at once (two phones, a double tap, a script):
the cap on visits held but not started must hold exactly. Without a lock, every request
counts the same load before any of them writes, and each one passes the check."""

from __future__ import annotations

from sqlalchemy import func, select

from audit.jobs import operations
from audit.models.campaigns import Campaign
from audit.models.orgs import Branch
from audit.models.visits import Visit
from audit.visits import lifecycle
from tests.concurrency.conftest import Meeting, together

CAP_MESSAGE = ("You already hold 5 visits you have not started. Start or finish one before "
               "claiming more.")


def add_branches(race, count: int) -> list[int]:
    """More branches in the race campaign, so each claim is at a branch of its own (the
    twice-in-a-row rule stays out of the way)."""

    def build(s):
        campaign = s.get(Campaign, race.ids.campaign)
        first = s.get(Branch, race.ids.branches[0])
        branches = [Branch(brand_id=first.brand_id, region_id=first.region_id,
                           code=f"{first.code}x{i}", name=f"Extra {i}", address="2 Street")
                    for i in range(count)]
        campaign.branches.extend(branches)
        s.commit()
        return [b.id for b in branches]

    added = race.read(build)
    race.ids.branches.extend(added)
    return added


def held_not_started(race, user: str) -> int:
    return race.read(lambda s: s.scalar(select(func.count()).select_from(Visit).where(
        Visit.shopper_id == race.ids.users[user], Visit.status == "assigned")))


def test_parallel_claims_stop_exactly_at_the_cap(race, meeting):
    cap = operations.MAX_OPEN_ASSIGNMENTS
    claims = cap + 2
    start = len(race.ids.branches)
    add_branches(race, claims)
    visit_ids = [race.make_visit(status="open", shopper=None, branch=start + i)
                 for i in range(claims)]
    # Each request waits here, after its checks and before its write, for all the others:
    # without a lock every request gets here having counted 0 held visits.
    point = meeting(lifecycle, "move", Meeting(parties=claims, timeout=0.4))
    clients = [race.web_client("shopper") for _ in visit_ids]

    def claim(client, visit_id: int):
        response = client.post(f"/jobs/{visit_id}/claim", headers={"Accept-Language": "en"})
        with client.session_transaction() as flask_session:
            flashes = [text for _, text in flask_session.get("_flashes", [])]
        return response.status_code, response.headers.get("Location", ""), flashes

    results = together(*(lambda c=c, v=v: claim(c, v)
                         for c, v in zip(clients, visit_ids, strict=True)))

    assert point.met == 1  # the claims ran one after the other, on both databases
    won = [(code, location) for code, location, _ in results if code == 302]
    refused = [(code, location, flashes) for code, location, flashes in results if code != 302]
    assert len(won) == cap
    assert refused == [(303, "/jobs", [CAP_MESSAGE])] * (claims - cap)
    assert held_not_started(race, "shopper") == cap
    statuses = race.read(lambda s: sorted(s.scalars(
        select(Visit.status).where(Visit.id.in_(visit_ids)))))
    assert statuses == ["assigned"] * cap + ["open"] * (claims - cap)


def test_parallel_claims_by_two_shoppers_do_not_wait_on_each_other(race, meeting):
    """The lock is the claiming shopper's own row: another shopper's claims pass beside."""
    start = len(race.ids.branches)
    add_branches(race, 2)
    visit_ids = [race.make_visit(status="open", shopper=None, branch=start + i)
                 for i in range(2)]
    point = meeting(lifecycle, "move", Meeting(parties=2, timeout=1.5))
    clients = [race.web_client("shopper"), race.web_client("shopper2")]

    results = together(*(lambda c=c, v=v: c.post(f"/jobs/{v}/claim").status_code
                         for c, v in zip(clients, visit_ids, strict=True)))

    assert results == [302, 302]
    assert point.met == (2 if race.backend == "postgresql" else 1)
    assert (held_not_started(race, "shopper"), held_not_started(race, "shopper2")) == (1, 1)
