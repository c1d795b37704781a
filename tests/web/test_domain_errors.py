"""Domain errors raised by services and access rules answer as the HTTP errors of their
status: a page's answer is byte for byte what `abort` gave (the error page in the user's
language), the API's the `{"error": ..., "details": ...}` body `api_error` gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint, abort

from audit.api.errors import api_error
from audit.errors import Conflict, DomainError, Forbidden, OutOfScope, Refused

ERRORS = {404: OutOfScope, 403: Forbidden, 409: Conflict, 422: Refused}


class Explained(Refused):
    def message(self) -> str:
        return "The due date is missing."


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """A fresh app (no database needed) with routes that raise each domain error and routes
    that abort with its status, for pages and under /api/."""
    from audit import create_app

    root = tmp_path_factory.mktemp("domain-errors")
    bp = Blueprint("raising", __name__)

    @bp.get("/raising/<int:code>")
    @bp.get("/api/raising/<int:code>")
    def raising(code: int):
        raise ERRORS[code]

    @bp.get("/aborting/<int:code>")
    def aborting(code: int):
        abort(code)

    @bp.get("/api/aborting/<int:code>")
    def api_aborting(code: int):
        api_error(code, {404: "Not found.", 403: "You are not allowed to do this.",
                         409: "This conflicts with the current state.",
                         422: "Some values are not valid."}[code])

    @bp.get("/api/explained")
    def explained():
        raise Explained({"due_on": "missing"})

    app = create_app({"TESTING": True, "SECRET_KEY": "d", "PHOTO_ROOT": str(root),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'd.db'}"})
    app.register_blueprint(bp)
    return app


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("code", sorted(ERRORS))
def test_a_page_answers_a_domain_error_as_abort_did(app, code, lang):
    client = app.test_client()
    headers = {"Accept-Language": lang}
    raised = client.get(f"/raising/{code}", headers=headers)
    aborted = client.get(f"/aborting/{code}", headers=headers)
    assert raised.status_code == aborted.status_code == code
    page = raised.get_data(as_text=True)  # the language switch links back to the page
    assert page.replace("/raising/", "/aborting/") == aborted.get_data(as_text=True)
    assert f"<h1>{code}</h1>" in page


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_the_api_answers_a_domain_error_in_its_error_format(app, code):
    client = app.test_client()
    headers = {"Accept-Language": "en"}
    raised = client.get(f"/api/raising/{code}", headers=headers)
    aborted = client.get(f"/api/aborting/{code}", headers=headers)
    assert raised.status_code == aborted.status_code == code
    assert raised.get_json() == aborted.get_json()
    assert set(raised.get_json()) == {"error"}


def test_the_api_carries_a_domain_errors_own_message_and_details(app):
    response = app.test_client().get("/api/explained")
    assert response.status_code == 422
    assert response.get_json() == {"error": "The due date is missing.",
                                   "details": {"due_on": "missing"}}


def test_domain_errors_know_nothing_of_http():
    """Services and background jobs raise and catch them without a request."""
    import ast

    import audit.errors

    tree = ast.parse(Path(audit.errors.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"__future__", "typing"}
    assert all(issubclass(error, DomainError) for error in ERRORS.values())
