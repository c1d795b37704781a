"""Error answers: JSON `{"error": ...}` under /api/, a page in the user's language elsewhere."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable, default_exceptions

from audit.db_setup import is_busy
from audit.errors import DomainError
from audit.extensions import db, login_manager

NUMERIC_OUT_OF_RANGE = "22003"  # SQLSTATE: a number too large for its column


def _message(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return _("The form has expired or was sent from elsewhere; reload the page and try again.")
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        return str(error.description)  # the limit's own message, in the user's language
    messages = {
        400: _("The request is malformed."),
        401: _("You need to log in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        410: _("Removed under the retention policy."),
        413: _("The upload is too large."),
        414: _("The address is too long."),
        422: _("Some values are not valid."),
        429: _("Too many requests; try again later."),
        503: _("The service is busy right now; nothing was saved. Try again in a moment."),
    }
    return messages.get(error.code or 500, _("Something went wrong on our side."))


RETRY_AFTER = 2  # seconds


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers the error itself carries (a 405's Allow, a 401's WWW-Authenticate),
    without its content type: the body is ours."""
    return [(name, value) for name, value in error.get_headers()
            if name.lower() != "content-type"]


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        description = getattr(error, "data", {}) or {}
        headers = _headers(error)
        if is_api_request():
            body = {"error": getattr(error, "api_message", None) or _message(error)}
            messages = description.get("messages") if isinstance(description, dict) else None
            if messages:
                body["details"] = messages
            extra = getattr(error, "api_details", None)
            if extra:
                body["details"] = extra
            return jsonify(body), error.code, headers
        page = render_template("error.html", code=error.code, message=_message(error))
        return page, error.code, headers

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """A service's or an access rule's refusal: the HTTP error of its status, answered
        as any other (the API with the error's own message and details, if it has them)."""
        http = default_exceptions[error.status]()
        http.api_message = error.message()  # type: ignore[attr-defined]
        http.api_details = error.details  # type: ignore[attr-defined]
        return http_error(http)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        """SQLite stayed locked past the busy timeout: 503 with Retry-After, not 500."""
        if not is_busy(error):
            raise error
        db.session.rollback()
        if "_login_user" not in g:  # the failed query may have been the log-in itself:
            g._login_user = login_manager.anonymous_user()  # don't wait on the lock again
        response = app.make_response(http_error(ServiceUnavailable()))
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.errorhandler(OverflowError)  # SQLite's driver: a number beyond 64 bits
    @app.errorhandler(DataError)
    def number_out_of_range(error: Exception):
        """A number too large for any column reached a query (ids in URLs and queries are
        bounded earlier, see audit.ids; this covers form fields): the request is at fault."""
        if isinstance(error, DataError) and getattr(error.orig, "sqlstate", None) != (
                NUMERIC_OUT_OF_RANGE):
            raise error
        db.session.rollback()
        return http_error(BadRequest())
