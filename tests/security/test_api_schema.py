"""Schemathesis against /api/v1/openapi.json through the WSGI app: every operation, called
with a manager's and an owner's bearer token, never answers 5xx and answers as documented
(status codes, content types, bodies matching the response schemas); an error status must
be one the operation lists, and its body must match the error schema.

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


@schemathesis.check
def error_status_listed(ctx, response, case) -> bool | None:  # noqa: ANN001, ARG001
    """`default` (5xx) makes any status conform to schemathesis: hold each operation to the
    client errors it lists itself, whose bodies `response_schema_conformance` then checks
    against that status's own response (the error schema)."""
    listed = case.operation.responses.status_codes
    if 400 <= response.status_code < 500 and str(response.status_code) not in listed:
        raise AssertionError(f"{case.operation.label} answered {response.status_code}, "
                             f"which it does not list: {', '.join(listed)}")
    return None


CHECKS = [*(getattr(schemathesis.checks, name) for name in (
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "response_headers_conformance")), error_status_listed]
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
