"""An address too long for any page or API call of ours answers 414 in the app's own
formats (JSON under /api, a page in the user's language elsewhere) rather than in
gunicorn's bare HTML: gunicorn.conf.py raises gunicorn's own request-line limit to its
maximum (8190 bytes), above this one, so this one is what people meet."""

from __future__ import annotations

from flask import Flask, abort, current_app, request

MAX_URI_LENGTH = 4094  # gunicorn's default request-line limit, which this replaces


def init_uri_limit(app: Flask) -> None:
    """Check the address before anything else (log-in, CSRF) looks at the request."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_long_uri)


def _refuse_long_uri() -> None:
    environ = request.environ
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
    if len(uri) > current_app.config.get("MAX_URI_LENGTH", MAX_URI_LENGTH):
        abort(414)
