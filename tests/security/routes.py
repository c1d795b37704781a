"""Discovering the app's routes and calling one as a role, for the authorization matrix.

Path parameters are filled from the security world by name (`visit_id` is the published
visit at franchisee A's branch, and so on); a few endpoints take another record or a query
string, listed in OVERRIDES and QUERY.
"""

from __future__ import annotations

from io import BytesIO
from types import SimpleNamespace

from flask import Flask, url_for
from werkzeug.routing import Rule

from tests.security.conftest import jpeg, log_in

IGNORED_METHODS = {"HEAD", "OPTIONS"}
LOGIN_PATH = "/login"

# Path parameter name -> attribute of the world's ids (or a literal).
PARAMS = {
    "action_id": "action", "photo_id": "photo", "visit_id": "visit",
    "campaign_id": "campaign", "version_id": "version", "section_id": "section",
    "question_id": "question", "dispute_id": "dispute", "branch_id": "branch",
    "row_id": "region", "report_id": "report", "target_id": "target",
    "checklist_id": "checklist", "user_id": "person", "person_id": "owner_person",
    "rule_id": "trigger", "notification_id": "notification", "token": "unsubscribe",
}
LITERALS = {"kind": "regions", "fmt": "csv", "lang": "en"}
OVERRIDES = {
    "actions.photo": {"photo_id": "action_photo"},
    "actions.thumbnail": {"photo_id": "action_photo"},
    "jobs.claim": {"visit_id": "open_visit"},
}
# Query strings that make a page pick a record in scope of brand A / franchisee A.
QUERY = {
    "actions.new": {"visit": "visit", "question": "=P3.1"},
    "campaigns.index": {"brand": "brand"}, "campaigns.new": {"brand": "brand"},
    "orgs.branches": {"brand": "brand"}, "orgs.groups": {"brand": "brand"},
    "orgs.new_branch": {"brand": "brand"}, "orgs.import_branches": {"brand": "brand"},
    "settings.weights": {"brand": "brand"}, "settings.privacy": {"brand": "brand"},
    "settings.rescore": {"brand": "brand"}, "settings.service_levels": {"brand": "brand"},
    "triggers.rules": {"brand": "brand"}, "triggers.add": {"brand": "brand"},
    "triggers.toggle": {"brand": "brand"}, "triggers.delete": {"brand": "brand"},
    "triggers.edit": {"brand": "brand"},
    "targets.index": {"brand": "brand"}, "targets.new": {"brand": "brand"},
    "comparison.page": {"campaign": "campaign"},
    "reports_pdf.comparison_pdf": {"campaign": "campaign"},
    "api_reports.comparison_pdf": {"campaign": "campaign"},
    "api_comparison.comparison": {"campaign": "campaign"},
    "portal.home": {"campaign": "campaign"}, "portal.branch": {"campaign": "campaign"},
    "api_portal.summary": {"campaign": "campaign"},
    "api_visits.list_visits": {"campaign": "campaign"},
    "checklists.export": {"format": "=json"},
}

# Minimal bodies where an empty one would stop at validation before the access rule.
BODY = {
    "api_disputes.open_dispute": lambda ids: {"question": "P3.1", "comment": "We asked."},
    "api_photos.upload_photo": lambda ids: {"file": (BytesIO(jpeg()), "shelf.jpg")},
    "api_reports.request_report": lambda ids: {"kind": "visit",
                                               "params": {"visit": ids.visit}},
    "portal.dispute": lambda ids: {"code": "P3.1", "comment": "We asked."},
    "reports.request": lambda ids: {"kind": "visit", "visit": str(ids.visit)},
}


def discover(app: Flask) -> list[tuple[str, str]]:
    """Every (endpoint, method) the app answers, except its static files."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - IGNORED_METHODS:
            found.add((rule.endpoint, method))
    return sorted(found)


def _value(ids: SimpleNamespace, name: str):
    return name[1:] if name.startswith("=") else getattr(ids, name)


def url_of(app: Flask, rule: Rule, ids: SimpleNamespace) -> str:
    """The rule's URL with the world's records in its path and query."""
    overrides = OVERRIDES.get(rule.endpoint, {})
    values = {}
    for name in rule.arguments:
        if name in LITERALS:
            values[name] = LITERALS[name]
        else:
            values[name] = getattr(ids, overrides.get(name, PARAMS[name]))
    for name, source in QUERY.get(rule.endpoint, {}).items():
        values[name] = _value(ids, source)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def rule_for(app: Flask, endpoint: str) -> Rule:
    return next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)


def call(app: Flask, client, world: SimpleNamespace, endpoint: str, method: str, role: str):
    """Send the request as `role`: a bearer token for the API, a session cookie for pages;
    POST/PUT bodies are empty or minimal (BODY)."""
    rule = rule_for(app, endpoint)
    url = url_of(app, rule, world.ids)
    api = url.startswith("/api/")
    headers = {"Accept-Language": "en"}
    if role != "anonymous":
        if api:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            log_in(client, world.users[role])
    kwargs: dict = {"headers": headers}
    if method in ("POST", "PUT"):
        body = BODY.get(endpoint, lambda ids: {})(world.ids)
        multipart = any(isinstance(v, tuple) for v in body.values())
        kwargs["json" if api and not multipart else "data"] = body
    return client.open(url, method=method, **kwargs)


def redirects_to_login(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 302 and location.split("?")[0].endswith(LOGIN_PATH)
