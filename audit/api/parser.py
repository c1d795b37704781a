"""The API's argument parser: webargs' Flask parser reading JSON bodies through the app's
JSON provider (`audit.web.jsonprovider`) rather than the standard library, so the API, the pages'
`request.get_json()` and the checklist import share one guarded reader."""

from __future__ import annotations

from typing import Any

import flask
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class AuditParser(FlaskParser):
    """Malformed and refused JSON alike answer 400 (webargs' invalid-JSON error)."""

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return flask.json.loads(req.get_data(cache=True))
