"""Rate limits on the endpoints that take a password (Flask-Limiter).

Each app gets its own limiter, so apps created side by side (the tests do) never share
counts or settings by accident. The counts live in RATELIMIT_STORAGE_URI: Redis when
configured (shared by every app process), else memory:// (counted per process, so N
processes allow N times the limit). Only failed attempts count (400, 401, 422 answers), so
colleagues behind one office address are not locked out by each other's log-ins; once over
the limit every attempt gets a 429 in the user's language until the window passes."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

FAILED = frozenset({400, 401, 422})


def _login_message() -> str:
    return _("Too many failed log-in attempts from your network. Wait a few minutes and try "
             "again.")


def _token_message() -> str:
    return _("Too many failed token requests from this address. Wait a few minutes and try "
             "again.")


# endpoint → (config key of its limit, message over the limit)
CREDENTIAL_ENDPOINTS: dict[str, tuple[str, Callable[[], str]]] = {
    "auth.login": ("RATELIMIT_LOGIN", _login_message),
    "auth.change_password_page": ("RATELIMIT_LOGIN", _login_message),
    "api_auth.create_token": ("RATELIMIT_TOKEN", _token_message),
}


def _failed(response: Response) -> bool:
    return response.status_code in FAILED


def init_rate_limits(app: Flask) -> Limiter:
    """Create the app's limiter and put a limit on each credential endpoint (POST only)."""
    limiter = Limiter(get_remote_address, storage_uri=app.config.get("RATELIMIT_STORAGE_URI"))
    limiter.init_app(app)
    app.extensions["audit_limiter"] = limiter  # the limits hold only a weak reference to it
    for endpoint, (setting, message) in CREDENTIAL_ENDPOINTS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        limit = limiter.limit(
            lambda setting=setting: app.config[setting], methods=["POST"],
            error_message=message, deduct_when=_failed,
        )
        app.view_functions[endpoint] = limit(view)
    return limiter
