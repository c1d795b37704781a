"""Raising API errors with a message in the user's language."""

from __future__ import annotations

from typing import Any, NoReturn

from werkzeug.exceptions import default_exceptions


def api_error(code: int, message: str, details: Any = None) -> NoReturn:
    """Abort with `code`; the error handler answers `{"error": message, "details": ...}`."""
    error = default_exceptions[code]()
    error.api_message = message  # type: ignore[attr-defined]
    error.api_details = details  # type: ignore[attr-defined]
    raise error
