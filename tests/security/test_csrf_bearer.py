"""CSRF and bearer tokens (issue 13, defect 23): a write is exempt from the CSRF check only
when a valid bearer token authenticated it. A request carrying a bearer header is
authenticated by that token alone: an invalid token beside a session cookie is refused,
never quietly authenticated by the cookie without its CSRF token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.visits import Answer
from tests.support import login

BODY = {"answers": [{"question": "P1.1", "value": True}]}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def saved(session, visit) -> int:
    session.expire_all()
    return len(session.scalars(select(Answer).where(Answer.visit_id == visit.id)).all())


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer x", "bearer  forged", "Bearer " + "A" * 43]
)
def test_invalid_bearer_beside_a_cookie_is_refused(
    app, client, world, make_visit, session, csrf_on, header
):
    visit = make_visit()
    app.config["WTF_CSRF_ENABLED"] = False  # the log-in form itself
    login(client, world.people.shopper)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.put(
        f"/api/v1/visits/{visit.id}/answers",
        json=BODY,
        headers={"Authorization": header, "Accept-Language": "en"},
    )
    assert response.status_code == 401, response.get_json()
    assert response.get_json() == {"error": "The token is invalid, expired or revoked."}
    assert saved(session, visit) == 0
    assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401


def test_valid_token_beside_another_persons_cookie_acts_as_the_token(
    app, client, world, make_visit, session, token_for, csrf_on
):
    visit = make_visit()
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world.people.manager)
    app.config["WTF_CSRF_ENABLED"] = True
    headers = token_for(world.people.shopper)
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["email"] == world.people.shopper.email
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=BODY, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert saved(session, visit) == 1


def test_cookie_session_still_needs_its_csrf_token(
    app, client, world, make_visit, session, csrf_on
):
    visit = make_visit()
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, world.people.shopper)
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.put(f"/api/v1/visits/{visit.id}/answers", json=BODY)
    assert refused.status_code == 400 and saved(session, visit) == 0
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = client.put(
        f"/api/v1/visits/{visit.id}/answers", json=BODY, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert saved(session, visit) == 1
