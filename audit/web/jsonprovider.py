"""The app's JSON provider: every request body Flask or the API parser reads as JSON goes
through `audit.safejson.loads` (depth, number and NaN limits), so a parser bomb is a
malformed body (400) wherever it is sent."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

from audit import safejson


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's provider, reading with the limits of `audit.safejson`."""

    ensure_ascii = False  # Vietnamese stays readable in JSON answers

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return safejson.loads(s, **kwargs)
