"""What a phone's outbox needs from the server: a retried photo stored once, a fresh CSRF
token for changes made offline hours ago, and the times each answer was given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from audit.models.visits import Answer, Photo
from tests.evidence.test_photo_api import upload
from tests.support import encode, login, picture


def test_a_photo_sent_twice_under_one_client_id_is_stored_once(
        file_store, client, world, make_visit, token_for, session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    raw = encode(picture())
    first = upload(client, visit, headers, raw, client_id="ph-1a2b3c4d5e", question="P1.2")
    again = upload(client, visit, headers, raw, client_id="ph-1a2b3c4d5e", question="P1.2")
    other = upload(client, visit, headers, raw, client_id="ph-9z8y7x6w5v")
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 201)
    assert again.get_json()["id"] == first.get_json()["id"] != other.get_json()["id"]
    count = session.scalar(select(func.count()).select_from(Photo)
                           .where(Photo.visit_id == visit.id))
    assert count == 2
    bad = upload(client, visit, headers, raw, client_id="x; DROP")
    assert bad.status_code == 422 and "client_id" in str(bad.get_json())


def test_the_capture_time_says_where_it_came_from(
        file_store, client, world, make_visit, token_for, session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    when = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    body = upload(client, visit, headers, encode(picture()), captured_at=when).get_json()
    photo = session.get(Photo, body["id"])
    assert photo.capture_source == "browser" and "outside_window" in photo.flags
    body = upload(client, visit, headers, encode(picture(seed=3))).get_json()
    assert session.get(Photo, body["id"]).capture_source is None


def test_a_fresh_csrf_token_for_the_session_only(client, world):
    assert client.get("/api/v1/csrf").status_code == 401
    login(client, world.people.shopper)
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    assert len(token) > 20


def test_each_answer_keeps_when_it_was_given_on_both_clocks(
        client, world, make_visit, token_for, session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    offline = datetime.now(UTC) - timedelta(hours=3)
    first = offline.isoformat()
    later = (offline + timedelta(minutes=4)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    items = [{"question": "P1.1", "value": True, "first_at": first, "changed_at": first},
             {"question": "P1.2", "value": True, "first_at": "yesterday"},
             {"question": "P1.3", "value": True, "changed_at": future}]
    url = f"/api/v1/visits/{visit.id}/answers"
    assert client.put(url, json={"answers": items}, headers=headers).status_code == 200
    rows = {a.question.code: a for a in session.scalars(
        select(Answer).where(Answer.visit_id == visit.id))}
    p11 = rows["P1.1"]
    assert abs((p11.device_first_at - offline).total_seconds()) < 1
    assert p11.first_answered_at is not None and p11.first_answered_at > offline
    assert rows["P1.2"].device_first_at is None and rows["P1.3"].device_last_at is None
    first_seen = p11.first_answered_at
    change = [{"question": "P1.1", "value": False, "first_at": first, "changed_at": later}]
    assert client.put(url, json={"answers": change}, headers=headers).status_code == 200
    session.refresh(p11)
    assert p11.first_answered_at == first_seen and p11.last_answered_at >= first_seen
    assert abs((p11.device_last_at - offline).total_seconds() - 240) < 1
    assert abs((p11.device_first_at - offline).total_seconds()) < 1


def _answered_over(client, visit, headers, seconds: float):
    start = datetime.now(UTC) - timedelta(hours=2)
    codes = [q.code for q in visit.checklist_version.ordered_questions()
             if q.kind == "yes_no" and not q.condition][:10]
    items = []
    for i, code in enumerate(codes):
        at = (start + timedelta(seconds=seconds * i / (len(codes) - 1))).isoformat()
        items.append({"question": code, "value": True, "first_at": at, "changed_at": at})
    assert client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": items},
                      headers=headers).status_code == 200
    return len(codes)


def test_too_fast_reads_the_phone_times_of_the_answers(client, world, make_visit, token_for,
                                                      session):
    """Ten answers given within 20 s on the phone are flagged even though they arrived
    together hours later; the same answers over 10 minutes are not."""
    from audit.review.flags import fill_seconds, review_flags, timeline

    headers = token_for(world.people.shopper)
    quick, slow = make_visit(), make_visit(branch=world.a.branches[1])
    n = _answered_over(client, quick, headers, 20)
    _answered_over(client, slow, headers, 600)
    session.refresh(quick)
    session.refresh(slow)
    assert n == 10 and round(fill_seconds(quick)) == 20 and round(fill_seconds(slow)) == 600
    assert "too_fast" in review_flags(quick) and "too_fast" not in review_flags(slow)
    kinds = [kind for _m, kind, _item in timeline(slow)]
    assert kinds == ["first_answer", "last_answer"]
