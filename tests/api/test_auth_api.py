"""Token issue, use and revocation; JSON errors in the caller's language."""

from __future__ import annotations

from sqlalchemy import select

from audit.models.auth import ApiToken
from tests.support import PASSWORD, session_cookie


def test_token_exchange_and_me(client, world):
    shopper = world.people.shopper
    response = client.post("/api/v1/auth/token", json={"email": shopper.email,
                                                       "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["email"] == shopper.email
    assert me.get_json()["role"] == "shopper"


def test_token_is_stored_hashed(client, world, session):
    shopper = world.people.shopper
    token = client.post("/api/v1/auth/token", json={"email": shopper.email,
                                                    "password": PASSWORD}).get_json()["token"]
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored
    assert ApiToken.hash(token) in stored


def test_wrong_password_is_401_json(client, world):
    response = client.post("/api/v1/auth/token", json={"email": world.people.shopper.email,
                                                       "password": "nope"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "Wrong e-mail or password. After 5 failed attempts "
                                            "in a row the account is locked for 15 minutes."}


def test_error_message_follows_accept_language(client, world):
    response = client.post("/api/v1/auth/token", json={"email": world.people.shopper.email,
                                                       "password": "nope"},
                           headers={"Accept-Language": "vi"})
    assert response.status_code == 401
    assert response.get_json()["error"] == ("Sai e-mail hoặc mật khẩu. Sau 5 lần đăng nhập sai "
                                            "liên tiếp, tài khoản sẽ bị khóa 15 phút.")


def test_malformed_token_request_is_422_not_500(client):
    response = client.post("/api/v1/auth/token", json={"email": 5})
    assert response.status_code == 422
    assert "error" in response.get_json()
    response = client.post("/api/v1/auth/token", data="{not json",
                           content_type="application/json")
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()


def test_no_token_is_401(client, session):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "error" in response.get_json()


def test_revoked_token_is_refused(client, world, session):
    shopper = world.people.shopper
    token = client.post("/api/v1/auth/token", json={"email": shopper.email,
                                                    "password": PASSWORD}).get_json()["token"]
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token))).one()
    from audit.auth.operations import revoke_token

    revoke_token(row)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_inactive_user_cannot_get_token(client, world, session):
    world.people.shopper.active = False
    session.flush()
    response = client.post("/api/v1/auth/token", json={"email": world.people.shopper.email,
                                                       "password": PASSWORD})
    assert response.status_code == 401


def test_unknown_api_route_is_json_404(client, world, token_for):
    response = client.get("/api/v1/nothing-here", headers=token_for(world.people.admin))
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_openapi_document_lists_the_endpoints(client, session):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/checklists",
                 "/api/v1/checklists/{checklist_id}", "/api/v1/branches", "/api/v1/campaigns",
                 "/api/v1/visits", "/api/v1/visits/{visit_id}", "/api/v1/visits/{visit_id}/answers",
                 "/api/v1/visits/{visit_id}/submit", "/api/v1/comparison"):
        assert path in paths, path
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_csrf_on_for_cookie_sessions_off_for_bearer_tokens(app, client, world, make_visit,
                                                            token_for):
    visit = make_visit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = client.post("/api/v1/auth/token", json={"email": world.people.shopper.email,
                                                        "password": PASSWORD})
        assert token.status_code == 201
        body = {"answers": [{"question": "P1.1", "value": True}]}
        with_token = client.put(f"/api/v1/visits/{visit.id}/answers", json=body,
                                headers={"Authorization": f"Bearer {token.get_json()['token']}"})
        assert with_token.status_code == 200
        cookie_client = app.test_client()
        session_cookie(cookie_client, world.people.shopper)
        no_csrf = cookie_client.put(f"/api/v1/visits/{visit.id}/answers", json=body)
        assert no_csrf.status_code == 400
        assert "error" in no_csrf.get_json()
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_token_can_revoke_itself(client, world):
    token = client.post("/api/v1/auth/token", json={"email": world.people.shopper.email,
                                                    "password": PASSWORD}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_oversized_body_is_413_json(app, client, world, make_visit, token_for):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers,
                              json={"answers": [{"question": "STAFF", "value": "x" * 5000}]})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert response.status_code == 413
    assert response.get_json()["error"] == "The upload is too large."
