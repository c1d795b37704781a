"""A live server with the demo data and Debian's Chromium driven by Playwright.

Skipped when Chromium or Playwright is missing (CI installs both, see .ci/run)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import flask_migrate
import pytest
from werkzeug.serving import make_server

from audit import create_app
from audit.demo.generator import load

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("live")
    app = create_app({
        "AUDIT_ENV": "testing", "TESTING": True, "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'live.db'}",
        "PHOTO_ROOT": str(root / "photos"), "SECRET_KEY": "browser-tests",
    })
    with app.app_context():
        flask_migrate.upgrade()
        load(seed=11)
    return app


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield p, chromium
        finally:
            chromium.close()


@pytest.fixture
def phone(browser):
    """A Pixel 7-sized context in Vietnamese."""
    p, chromium = browser
    context = chromium.new_context(**p.devices["Pixel 7"], locale="vi-VN")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def desktop(browser):
    """A 1366 x 900 laptop-sized context in Vietnamese, as a quality manager works."""
    _, chromium = browser
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    try:
        yield context
    finally:
        context.close()
