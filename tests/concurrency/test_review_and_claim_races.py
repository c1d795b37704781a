"""Two reviewers acting on the same visit at once, and two shoppers claiming the same open
visit: the visit's version counter lets exactly one win; the other is told, nothing lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.visits import Visit
from audit.visits import lifecycle, scores
from tests.concurrency.conftest import Meeting, together
from tests.concurrency.test_visit_races import expected_arrivals, stored

CONFLICT = "Someone else changed this visit while you were reviewing it"


def log_actions(race, visit_id: int) -> list[tuple[str, object]]:
    return race.read(lambda s: [(row.action, row.new_value) for row in s.scalars(
        select(AuditLog).where(AuditLog.entity == "visit", AuditLog.entity_id == visit_id)
        .order_by(AuditLog.id))])


@pytest.mark.parametrize("actions", [("edit", "edit"), ("approve", "approve"),
                                     ("approve", "edit")])
def test_two_reviewers_at_once_one_wins(race, meeting, actions):
    visit_id = race.make_visit(submit=True)
    before = stored(race, visit_id)
    point = Meeting()
    meeting(scores, "store", point)
    meeting(lifecycle, "move", point)
    clients = [race.web_client("manager"), race.web_client("manager2")]

    def act(client, action: str, reason: str):
        if action == "approve":
            response = client.post(f"/review/{visit_id}/approve",
                                   data={"revision": before["revision"]},
                                   headers={"Accept-Language": "en"})
        else:
            response = client.post(f"/review/{visit_id}/answer", data={
                "code": "P2.1", "value": "no", "reason": reason,
                "revision": before["revision"]}, headers={"Accept-Language": "en"})
        return response.status_code, response.get_data(as_text=True)

    results = together(lambda: act(clients[0], actions[0], "first reviewer"),
                       lambda: act(clients[1], actions[1], "second reviewer"))

    assert point.met == expected_arrivals(race)
    codes = sorted(code for code, _ in results)
    assert codes == [302, 409]
    loser = next(html for code, html in results if code == 409)
    assert CONFLICT in loser
    after = stored(race, visit_id)
    assert after["revision"] == before["revision"] + 1  # exactly one change went through
    new_entries = log_actions(race, visit_id)[len(log_actions(race, visit_id)) - 1:]
    edits = [a for a in log_actions(race, visit_id) if a[0] == "edit_answer"]
    approvals = [a for a in log_actions(race, visit_id) if a == ("status", "approved")]
    assert len(edits) + len(approvals) == 1, new_entries
    if approvals:
        assert after["status"] == "approved" and after["answers"]["P2.1"] is True
        assert after["score"] == 100.0
    else:
        assert after["status"] == "submitted" and after["answers"]["P2.1"] is False
        assert after["score"] == after["recomputed"] == 0.0  # critical item failed


def test_two_shoppers_claim_the_same_open_visit(race, meeting):
    visit_id = race.make_visit(status="open", shopper=None)
    before = stored(race, visit_id)
    point = meeting(lifecycle, "move")
    clients = {name: race.web_client(name) for name in ("shopper", "shopper2")}

    def claim(name: str):
        client = clients[name]
        response = client.post(f"/jobs/{visit_id}/claim", headers={"Accept-Language": "en"})
        with client.session_transaction() as flask_session:
            flashes = [text for _, text in flask_session.get("_flashes", [])]
        return name, response.status_code, response.headers.get("Location", ""), flashes

    results = together(lambda: claim("shopper"), lambda: claim("shopper2"))

    assert point.met == expected_arrivals(race)
    holder = race.read(lambda s: s.get(Visit, visit_id).shopper_id)
    winner = next(name for name, user_id in race.ids.users.items() if user_id == holder)
    for name, code, location, flashes in results:
        if name == winner:
            assert code == 302 and location.endswith(f"/visits/{visit_id}")
        else:
            assert code == 303 and location.endswith("/jobs")
            assert flashes == ["Another shopper took this visit just before you. "
                               "Choose another one."]
    after = stored(race, visit_id)
    assert after["status"] == "assigned"
    assert after["revision"] == before["revision"] + 1
    assert [a for a in log_actions(race, visit_id) if a[0] == "status"] == [
        ("status", "assigned")]
