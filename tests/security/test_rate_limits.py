"""Rate limits on the credential endpoints: only failed attempts count, a 429 in the user's
language once over (a page for the form, JSON for the API), per client address, and one
count shared through Redis by several app processes."""

from __future__ import annotations

import os
import uuid

import pytest

from audit.config import load_config
from tests.security.conftest import limited
from tests.support import PASSWORD

LOGIN_429_EN = ("Too many failed log-in attempts from your network. Wait a few minutes and "
                "try again.")
LOGIN_429_VI = "Có quá nhiều lần đăng nhập sai từ mạng của bạn. Vui lòng đợi vài phút rồi thử lại."
TOKEN_429_EN = ("Too many failed token requests from this address. Wait a few minutes and try "
                "again.")


def _fail_login(client, email, **headers):
    return client.post("/login", data={"email": email, "password": "wrong password"},
                       headers={"Accept-Language": "en", **headers})


def test_testing_config_turns_the_limiter_off_and_others_on(monkeypatch):
    monkeypatch.delenv("RATELIMIT_ENABLED", raising=False)
    assert load_config("testing").RATELIMIT_ENABLED is False
    assert load_config("development").RATELIMIT_ENABLED is True


def test_the_suite_app_is_not_limited(client, world):
    for _ in range(12):
        assert _fail_login(client, world.people.shopper.email).status_code == 401


def test_login_form_429_page_after_three_failures(limited_client, world):
    email = world.people.shopper.email
    assert [_fail_login(limited_client, email).status_code for _ in range(3)] == [401] * 3
    over = _fail_login(limited_client, email)
    assert over.status_code == 429
    assert over.mimetype == "text/html"
    assert LOGIN_429_EN in over.get_data(as_text=True)
    assert 0 < int(over.headers["Retry-After"]) <= 60
    # even the right password waits for the window to pass
    right = limited_client.post("/login", data={"email": email, "password": PASSWORD})
    assert right.status_code == 429


def test_429_page_is_in_vietnamese(limited_client, world):
    for _ in range(3):
        _fail_login(limited_client, world.people.shopper.email)
    over = limited_client.post("/login", data={"email": "x@example.test", "password": "y"},
                               headers={"Accept-Language": "vi"})
    assert over.status_code == 429
    assert LOGIN_429_VI in over.get_data(as_text=True)


def test_page_views_and_successful_log_ins_do_not_count(limited_client, world):
    for _ in range(5):
        assert limited_client.get("/login").status_code == 200
    for _ in range(4):
        ok = limited_client.post("/login", data={"email": world.people.manager.email,
                                                 "password": PASSWORD})
        assert ok.status_code == 302
        limited_client.post("/logout")
    assert [_fail_login(limited_client, world.people.shopper.email).status_code
            for _ in range(4)] == [401, 401, 401, 429]


def test_token_endpoint_429_json(limited_client, world):
    body = {"email": world.people.shopper.email, "password": "wrong password"}
    codes = [limited_client.post("/api/v1/auth/token", json=body,
                                 headers={"Accept-Language": "en"}).status_code
             for _ in range(2)]
    assert codes == [401, 401]
    over = limited_client.post("/api/v1/auth/token", json=body, headers={"Accept-Language": "en"})
    assert over.status_code == 429
    assert over.get_json() == {"error": TOKEN_429_EN}
    assert "Retry-After" in over.headers


def test_form_and_token_limits_are_counted_apart(limited_client, world):
    for _ in range(3):
        _fail_login(limited_client, world.people.shopper.email)
    assert _fail_login(limited_client, world.people.shopper.email).status_code == 429
    token = limited_client.post("/api/v1/auth/token",
                                json={"email": world.people.shopper.email, "password": PASSWORD})
    assert token.status_code == 201


def test_change_password_is_limited(limited_client, world):
    limited_client.post("/login", data={"email": world.people.shopper.email,
                                        "password": PASSWORD})
    form = {"current_password": "not it at all", "new_password": "x", "confirm": "x"}
    codes = [limited_client.post("/account/password", data=form).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RATELIMIT_LOGIN", "7 per hour")
    monkeypatch.setenv("RATELIMIT_TOKEN", "4 per minute")
    config = load_config("development")
    assert (config.RATELIMIT_LOGIN, config.RATELIMIT_TOKEN) == ("7 per hour", "4 per minute")


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "memory://"),
    ({"REDIS_URL": "redis://cache:6379/0"}, "redis://cache:6379/0"),
    ({"REDIS_URL": "redis://cache:6379/0", "RATELIMIT_STORAGE_URI": "redis://limits:6379/3"},
     "redis://limits:6379/3"),
])
def test_storage_is_redis_when_configured_else_memory(monkeypatch, env, expected):
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    storage = load_config("development").RATELIMIT_STORAGE_URI
    assert storage == expected


def test_memory_counts_are_per_process(database_url, session, world):
    """memory:// counts in each app process: two processes allow twice the limit."""
    one, two = limited(database_url), limited(database_url)
    email = world.people.shopper.email
    a, b = one.test_client(), two.test_client()
    assert [_fail_login(a, email).status_code for _ in range(3)] == [401] * 3
    assert _fail_login(b, email).status_code == 401
    assert _fail_login(a, email).status_code == 429
    for app in (one, two):
        with app.app_context():
            from audit.extensions import db

            db.engine.dispose()


def _redis_or_fail(url: str):
    from redis import Redis

    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable in CI: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    return connection


def test_two_app_processes_share_the_count_in_redis(database_url, session, world):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    connection = _redis_or_fail(url)
    prefix = f"audit-test-{uuid.uuid4().hex}"
    apps = [limited(database_url, RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=prefix,
                    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False, RATELIMIT_SWALLOW_ERRORS=False)
            for _ in range(2)]
    one, two = (app.test_client() for app in apps)
    email = world.people.shopper.email
    try:
        assert _fail_login(one, email).status_code == 401
        assert _fail_login(two, email).status_code == 401
        assert _fail_login(one, email).status_code == 401
        assert _fail_login(two, email).status_code == 429  # the fourth, counted across both
        assert _fail_login(one, email).status_code == 429
        assert any(connection.scan_iter(match=f"*{prefix}*"))
    finally:
        for key in connection.scan_iter(match=f"*{prefix}*"):
            connection.delete(key)
        for app in apps:
            with app.app_context():
                from audit.extensions import db

                db.engine.dispose()


def test_limit_is_per_client_address_behind_a_trusted_proxy(database_url, session, world):
    app = limited(database_url, TRUSTED_PROXIES=1)
    client = app.test_client()
    email = world.people.shopper.email
    first = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(3):
        _fail_login(client, email, **first)
    assert _fail_login(client, email, **first).status_code == 429
    assert _fail_login(client, email, **{"X-Forwarded-For": "198.51.100.4"}).status_code == 401
    with app.app_context():
        from audit.extensions import db

        db.engine.dispose()
