"""Request size limits answered in the app's own formats (JSON under /api, a page in the
user's language elsewhere), checked before anything else (log-in, CSRF) reads the request.

- The address: gunicorn.conf.py raises gunicorn's own request-line limit to its maximum
  (8190 bytes), above MAX_URI_LENGTH, so a too-long address gets our 414, not gunicorn's
  bare HTML.
- A JSON body: no page or API call sends more than a few hundred KB of JSON (a visit's
  answers), while parsing and checking a body (audit.safejson) costs about a second per
  10 MB; MAX_JSON_BYTES caps it (413) well under MAX_CONTENT_LENGTH, which is sized for
  photos sent as multipart forms.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, request

MAX_URI_LENGTH = 4094  # gunicorn's default request-line limit, which this replaces
MAX_JSON_BYTES = 1024 * 1024


def init_request_limits(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_request)


def _limit_request() -> None:
    config = current_app.config
    environ = request.environ
    uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
    if len(uri) > config.get("MAX_URI_LENGTH", MAX_URI_LENGTH):
        abort(414)
    if request.is_json:  # read later, through this smaller limit (413 when over)
        request.max_content_length = min(
            config.get("MAX_JSON_BYTES", MAX_JSON_BYTES),
            config.get("MAX_CONTENT_LENGTH") or MAX_JSON_BYTES)
