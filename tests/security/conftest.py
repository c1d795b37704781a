"""Apps with the rate limits on (the suite's app has them off), and small helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from audit import create_app


def limited(database_url: str, **settings) -> Flask:
    """An app on the test database with rate limits on: memory storage, small limits."""
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_TOKEN": "2 per minute", **settings,
    })


@pytest.fixture(scope="module")
def limited_app(database_url) -> Iterator[Flask]:
    app = limited(database_url)
    yield app
    with app.app_context():
        from audit.extensions import db

        db.engine.dispose()


@pytest.fixture
def limited_client(limited_app, session):
    """A client of `limited_app` with fresh counts, inside the test's rolled-back session."""
    limited_app.extensions["audit_limiter"].reset()
    return limited_app.test_client()
