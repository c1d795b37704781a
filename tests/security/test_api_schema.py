"""Schemathesis against /api/v1/openapi.json through the WSGI app: every operation, called
with a manager's and an owner's bearer token, never answers 5xx and answers as documented
(status codes, content types, bodies matching the response schemas).

Bounded and repeatable: few examples per operation, derandomized, no deadline. Path ids are
often the world's real records (so the happy paths run), otherwise anything. Each call runs
in its own savepoint, so a revoked token or a saved answer never leaks into the next call.
The document is read from an app built at import (it does not depend on the database);
the calls go to the test app of each database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from audit import create_app
from tests.security.conftest import rolled_back

pytestmark = pytest.mark.usefixtures("stub_pdf_layout")
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))
# The errors the README promises integrators; every operation documents them as `default`.
API_ERRORS = {400, 401, 403, 404, 409, 413, 422}


@schemathesis.check
def promised_error_status(ctx, response, case) -> bool | None:  # noqa: ANN001, ARG001
    """`default` makes any status conform; hold the API to the ones it promises."""
    if response.status_code >= 400 and response.status_code not in API_ERRORS:
        raise AssertionError(f"{response.status_code} is not one of {sorted(API_ERRORS)}")
    return None


CHECKS = [*(getattr(schemathesis.checks, name) for name in (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance")), promised_error_status]
SETTINGS = settings(max_examples=10, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
# Path parameter -> the world's records it may name.
RECORDS = {"visit_id": ("visit", "submitted"), "photo_id": ("photo",),
           "checklist_id": ("checklist",), "report_id": ("report",), "campaign_id": ("campaign",)}


def call_as(role: str, case, data, app, world_connection) -> None:  # noqa: ANN001 - a Case
    """Point some path ids at real records, then call the real app in a savepoint."""
    connection, world = world_connection
    for name, records in RECORDS.items():
        if name in (case.path_parameters or {}) and data.draw(st.booleans(), label=name):
            case.path_parameters[name] = getattr(world.ids, data.draw(st.sampled_from(records)))
    with rolled_back(app, connection):
        case.call_and_validate(app=app, checks=CHECKS,
                               headers={"Authorization": f"Bearer {world.tokens[role]}"})



@schema.parametrize()
@schema.given(data=st.data())
@SETTINGS
def test_api_as_manager(case, data, app, world_connection):
    call_as("manager", case, data, app, world_connection)


@schema.parametrize()
@schema.given(data=st.data())
@SETTINGS
def test_api_as_owner(case, data, app, world_connection):
    call_as("owner", case, data, app, world_connection)
