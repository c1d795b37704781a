"""Error answers: JSON `{"error": ...}` under /api/, a page in the user's language elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from audit.extensions import db

NUMERIC_OUT_OF_RANGE = "22003"  # SQLSTATE: a number too large for its column


def _message(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return _("The form has expired or was sent from elsewhere; reload the page and try again.")
    messages = {
        400: _("The request is malformed."),
        401: _("You need to log in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The upload is too large."),
        422: _("Some values are not valid."),
        429: _("Too many requests; try again later."),
    }
    return messages.get(error.code or 500, _("Something went wrong on our side."))


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        description = getattr(error, "data", {}) or {}
        if is_api_request():
            body = {"error": getattr(error, "api_message", None) or _message(error)}
            messages = description.get("messages") if isinstance(description, dict) else None
            if messages:
                body["details"] = messages
            extra = getattr(error, "api_details", None)
            if extra:
                body["details"] = extra
            return jsonify(body), error.code
        return render_template("error.html", code=error.code, message=_message(error)), error.code

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
