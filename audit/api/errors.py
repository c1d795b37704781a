"""Raising API errors with a message in the user's language, and documenting them.

Every error answers the one body `audit.api.ErrorSchema` ({"error": ..., "details": ...},
see `audit.web.errors`). Each operation lists the client errors it can answer with
`@blp.errors(...)`, which uses flask-smorest's `alt_response` with the response components
it registers per HTTP status (each with that schema); 5xx stays under `default`.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar

import flask_smorest
from werkzeug.exceptions import default_exceptions

from audit.api.parser import AuditParser

View = TypeVar("View", bound=Callable[..., Any])


def api_error(code: int, message: str, details: Any = None) -> NoReturn:
    """Abort with `code`; the error handler answers `{"error": message, "details": ...}`."""
    error = default_exceptions[code]()
    error.api_message = message  # type: ignore[attr-defined]
    error.api_details = details  # type: ignore[attr-defined]
    raise error


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint whose operations document the errors they answer and read
    JSON bodies through the app's guarded JSON provider."""

    ARGUMENTS_PARSER = AuditParser()

    def errors(self, *codes: int) -> Callable[[View], View]:
        """Document `codes` and 401 (every operation needs a valid bearer token; the token
        request itself answers 401 to wrong credentials) with the error body."""

        def decorate(view: View) -> View:
            for code in sorted({401, *codes}):
                view = self.alt_response(code, response=HTTPStatus(code).name)(view)
            return view

        return decorate
