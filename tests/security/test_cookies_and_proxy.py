"""Session and remember cookies, session lifetime, and the app behind a proxy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import request, url_for

from audit import create_app
from audit.config import load_config
from tests.support import PASSWORD

SETTINGS = ("SESSION_COOKIE_SECURE", "SESSION_LIFETIME_HOURS", "PREFERRED_URL_SCHEME",
            "PROXY_FIX", "TRUSTED_PROXIES", "HSTS_SECONDS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "s")


def test_production_cookies_and_lifetime():
    config = load_config("production")
    assert (config.SESSION_COOKIE_SECURE, config.SESSION_COOKIE_HTTPONLY,
            config.SESSION_COOKIE_SAMESITE) == (True, True, "Lax")
    assert (config.REMEMBER_COOKIE_SECURE, config.REMEMBER_COOKIE_HTTPONLY,
            config.REMEMBER_COOKIE_SAMESITE) == (True, True, "Lax")
    hours = config.PERMANENT_SESSION_LIFETIME / timedelta(hours=1)
    assert (hours, config.PREFERRED_URL_SCHEME) == (12, "https")
    assert (config.TRUSTED_PROXIES, config.HSTS_SECONDS) == (0, 0)


def test_development_cookies_work_over_http():
    config = load_config("development")
    assert (config.SESSION_COOKIE_SECURE, config.REMEMBER_COOKIE_SECURE) == (False, False)
    assert config.PREFERRED_URL_SCHEME == "http"


def test_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    monkeypatch.setenv("SESSION_LIFETIME_HOURS", "8")
    monkeypatch.setenv("HSTS_SECONDS", "600")
    config = load_config("production")
    assert (config.SESSION_COOKIE_SECURE, config.REMEMBER_COOKIE_SECURE) == (False, False)
    hours = config.PERMANENT_SESSION_LIFETIME / timedelta(hours=1)
    assert (hours, config.HSTS_SECONDS) == (8, 600)


@pytest.mark.parametrize(("env", "trusted"), [
    ({}, 0), ({"PROXY_FIX": "1"}, 1), ({"PROXY_FIX": "0"}, 0), ({"TRUSTED_PROXIES": "2"}, 2),
    ({"PROXY_FIX": "1", "TRUSTED_PROXIES": "3"}, 3),
])
def test_trusted_proxies_from_the_environment(monkeypatch, env, trusted):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = load_config("production")
    assert (config.TRUSTED_PROXIES, bool(config.TRUSTED_PROXIES)) == (trusted, trusted > 0)


def test_login_sets_a_permanent_httponly_lax_cookie(client, world):
    response = client.post("/login", data={"email": world.people.shopper.email,
                                           "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session: ends after the idle lifetime
    assert "Secure" not in cookie  # the testing config serves plain http


def test_secure_cookie_when_configured(tmp_path, session, world, database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": database_url,
                      "SESSION_COOKIE_SECURE": True})
    response = app.test_client().post("/login", base_url="https://a.test", data={
        "email": world.people.shopper.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "; Secure" in response.headers["Set-Cookie"]
    with app.app_context():
        from audit.extensions import db

        db.engine.dispose()


def _probe_app(tmp_path, **settings):
    app = create_app({"TESTING": True, "SECRET_KEY": "t",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", **settings})

    @app.get("/_probe")
    def probe():
        return {"addr": request.remote_addr, "secure": request.is_secure,
                "url": url_for("auth.login", _external=True)}

    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "audit.example.vn"}


def test_proxy_headers_are_used_only_when_trusted(tmp_path):
    direct = _probe_app(tmp_path).test_client().get("/_probe", headers=FORWARDED)
    assert direct.get_json() == {"addr": "127.0.0.1", "secure": False,
                                 "url": "http://localhost/login"}
    behind = _probe_app(tmp_path, TRUSTED_PROXIES=1, HSTS_SECONDS=31536000).test_client()
    response = behind.get("/_probe", headers=FORWARDED)
    assert response.get_json() == {"addr": "203.0.113.9", "secure": True,
                                   "url": "https://audit.example.vn/login"}
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_preferred_url_scheme_outside_requests(tmp_path):
    app = _probe_app(tmp_path, PREFERRED_URL_SCHEME="https", SERVER_NAME="audit.example.vn")
    with app.app_context():
        assert url_for("auth.login", _external=True) == "https://audit.example.vn/login"
