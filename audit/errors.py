"""Domain errors: what services and access rules raise when they refuse, instead of HTTP errors.

One handler (`audit.web.errors`) answers them for pages and API alike: `OutOfScope` as 404
(a record outside one's scope is indistinguishable from a missing one, so ids reveal
nothing), `Forbidden` as 403, `Conflict` as 409, `Refused` as 422; pages show the error page
in the user's language, the API its `{"error": ..., "details": ...}` body with the error's
own message where it has one. No Flask here: services and background jobs raise and catch
these without a request.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal with the HTTP status it answers, an optional message for API clients (in
    the user's language) and optional details (e.g. field errors)."""

    status = 400

    def __init__(self, details: Any = None) -> None:
        super().__init__(type(self).__name__)
        self.details = details

    def message(self) -> str | None:
        """The API's `error` text; None: the status's usual message."""
        return None


class OutOfScope(DomainError):
    """The record does not exist or lies outside what the user may see: 404."""

    status = 404


class Forbidden(DomainError):
    """The user's role may not do this at all: 403."""

    status = 403


class Conflict(DomainError):
    """The record's current state does not allow this: 409."""

    status = 409


class Refused(DomainError):
    """The values sent cannot be accepted: 422."""

    status = 422
