"""A shopper's visit changed by two requests at once (a double tap, two devices, a retry
racing the original): one wins, nothing is half-saved, scores are stored once."""

from __future__ import annotations

from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.visits import Visit
from audit.visits import operations, scores
from tests.concurrency.conftest import together


def status_moves(race, visit_id: int) -> list[str]:
    return race.read(lambda s: list(s.scalars(
        select(AuditLog.new_value).where(AuditLog.entity == "visit",
                                         AuditLog.entity_id == visit_id,
                                         AuditLog.action == "status")
        .order_by(AuditLog.id))))


def stored(race, visit_id: int) -> dict:
    """The visit's answers, stored scores, and the scores its answers give now."""
    def load(s):
        visit = s.get(Visit, visit_id)
        result, _ = scores.compute(visit)
        return {"status": visit.status, "revision": visit.revision,
                "answers": {a.question.code: a.value for a in visit.answers},
                "score": visit.score_overall, "scored_at": visit.scored_at,
                "recomputed": result.overall}
    return race.read(load)


def expected_arrivals(race) -> int:
    """PostgreSQL lets both requests read before either commits; SQLite queues the second."""
    return 2 if race.backend == "postgresql" else 1


def test_two_api_submissions_at_once_submit_once(race, meeting):
    visit_id = race.make_visit(status="in_progress", answered=True)
    before = stored(race, visit_id)
    point = meeting(scores, "store")
    url = f"/api/v1/visits/{visit_id}/submit"

    def submit():
        response = race.app.test_client().post(url, headers=race.headers("shopper"))
        return response.status_code, response.get_json()

    (code_a, body_a), (code_b, body_b) = together(submit, submit)

    assert point.met == expected_arrivals(race)
    # Submitting carries no data: the loser answers like a repeat (the API's promise that
    # repeats are harmless), with the winner's stored scores.
    assert (code_a, code_b) == (200, 200)
    assert body_a["status"] == body_b["status"] == "submitted"
    assert body_a["scores"] == body_b["scores"]
    after = stored(race, visit_id)
    assert status_moves(race, visit_id) == ["submitted"]
    assert after["revision"] == before["revision"] + 1  # one UPDATE of the visit, not two
    assert after["answers"] == before["answers"]
    assert after["score"] == after["recomputed"] == 100.0


def test_two_form_submissions_with_different_answers_keep_one(race, meeting):
    visit_id = race.make_visit(status="in_progress", answered=True)
    before = stored(race, visit_id)
    point = meeting(scores, "store")
    clients = [race.web_client("shopper"), race.web_client("shopper")]

    def form(passes: bool) -> dict:
        data = {f"q-{code}": "yes" if value is True else "no" if value is False else str(value)
                for code, value in before["answers"].items()}
        data.update({"q-P2.1": "yes" if passes else "no", "action": "submit"})
        return data

    def post(client, passes: bool):
        response = client.post(f"/visits/{visit_id}", data=form(passes),
                               headers={"Accept-Language": "en"})
        return response.status_code, response.get_data(as_text=True)

    first, second = together(lambda: post(clients[0], True), lambda: post(clients[1], False))

    assert point.met == expected_arrivals(race)
    after = stored(race, visit_id)
    winner_passes = after["answers"]["P2.1"]
    won, lost = (first, second) if winner_passes else (second, first)
    assert won[0] == 302
    assert lost[0] == 409  # its answers were not those submitted: it is told, not thanked
    if race.backend == "postgresql":  # both read the same version: the loser's commit failed
        assert "Someone else changed this visit at the same moment" in lost[1]
    else:  # the loser ran after the winner and found the visit sent with other answers
        assert "This visit was already sent with other answers" in lost[1]
    typed = "no" if winner_passes else "yes"
    assert f'name="q-P2.1" value="{typed}" checked' in lost[1]  # the form keeps its input
    assert status_moves(race, visit_id) == ["submitted"]
    assert after["status"] == "submitted"
    assert after["score"] == after["recomputed"]  # the scores are those of the stored answers
    assert after["score"] == (100.0 if winner_passes else 0.0)  # P2.1 is critical


def test_two_autosaves_at_once_never_mix(race, meeting):
    visit_id = race.make_visit(status="in_progress")
    point = meeting(operations, "touch")
    url = f"/api/v1/visits/{visit_id}/answers"

    def save(value: bool):
        body = {"answers": [{"question": "P2.1", "value": value},
                            {"question": "P3.1", "value": value}]}
        response = race.app.test_client().put(url, json=body, headers=race.headers("shopper"))
        return response.status_code, response.get_json()

    (code_a, body_a), (code_b, body_b) = together(lambda: save(True), lambda: save(False))

    assert point.met == expected_arrivals(race)
    answers = stored(race, visit_id)["answers"]
    assert answers in ({"P2.1": True, "P3.1": True}, {"P2.1": False, "P3.1": False})
    if race.backend == "postgresql":
        assert sorted([code_a, code_b]) == [200, 409]
        loser = body_a if code_a == 409 else body_b
        assert loser["error"].startswith("This visit was changed by another request")
    else:  # one after the other: the later save merges over the earlier one
        assert (code_a, code_b) == (200, 200)
