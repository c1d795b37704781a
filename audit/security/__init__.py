"""Hardening shared by every page and API call: proxy headers, security headers, rate limits,
request size limits.

Account lockout and the password policy sit with the accounts, in `audit.auth`."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from audit.security.headers import init_security_headers
from audit.security.limits import init_request_limits
from audit.security.ratelimit import init_rate_limits


def init_security(app: Flask) -> None:
    """Wire the proxy fix, the response headers, the rate limits and the request size
    limits into `app`."""
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted:
        # Behind `trusted` proxies: the client's address, scheme, host and port come from
        # their X-Forwarded-* headers (never trusted when the app is reached directly).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted, x_port=trusted,
            x_prefix=trusted,
        )
    init_security_headers(app)
    init_rate_limits(app)
    init_request_limits(app)
