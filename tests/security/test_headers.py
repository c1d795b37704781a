"""Security headers on every response, HSTS only over HTTPS when configured, and pages with
no inline script or style (so the strict CSP holds)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit import create_app
from audit.charts import svg
from audit.vocabulary import NOTICE_KINDS

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "frame-ancestors 'none'; form-action 'self'")
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Rendered by WeasyPrint into PDFs, never served as pages.
PDF_TEMPLATES = {"reports/base.html", "reports/visit.html", "reports/comparison.html",
                 "reports/_method.html"}
# E-mails are read in mail clients, which drop style sheets: their styles are inline, and
# the app never serves them as pages (the bell shows their subject only).
MAIL_TEMPLATES = {f"notifications/{name}.html" for name in
                  (*NOTICE_KINDS, "base", "digest", "_visit", "_action")}


@pytest.fixture
def bare_app(tmp_path):
    def make(**settings):
        return create_app({"TESTING": True, "SECRET_KEY": "t",
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}",
                           **settings})
    return make


@pytest.mark.parametrize(("path", "status"), [
    ("/login", 200),
    ("/static/css/app.css", 200),
    ("/api/v1/openapi.json", 200),
    ("/api/v1/me", 401),
    ("/no-such-page", 404),
])
def test_every_response_carries_the_headers(bare_app, path, status):
    with bare_app().test_client().get(path) as response:  # closes the static file
        assert response.status_code == status
        assert {name: response.headers.get(name) for name in EXPECTED} == EXPECTED
        assert "Strict-Transport-Security" not in response.headers


def test_logged_in_pages_carry_the_headers(client, world):
    client.post("/login", data={"email": world.people.manager.email,
                                "password": "correct horse battery"})
    response = client.get("/campaigns")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP


def test_hsts_only_over_https_and_when_configured(bare_app):
    off = bare_app().test_client()
    assert "Strict-Transport-Security" not in off.get("/login", base_url="https://a.test").headers
    on = bare_app(HSTS_SECONDS=31536000).test_client()
    assert "Strict-Transport-Security" not in on.get("/login").headers  # plain http
    assert on.get("/login", base_url="https://a.test").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


def _served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_TEMPLATES | MAIL_TEMPLATES:
            yield name, path.read_text()


def test_served_templates_have_no_inline_style_or_script():
    offences = []
    for name, text in _served_templates():
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offences.append(f"{name}: inline style")
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text):
            offences.append(f"{name}: inline script")
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text:
            offences.append(f"{name}: event handler attribute")
    assert offences == []


def test_charts_have_no_style_attribute():
    chart = svg.heatmap(["Branch 1"], ["T"], [[80.0]], title="Heat")
    assert "style=" not in chart
    assert re.search(r'<svg [^>]*width="\d+" height="\d+"', chart)
