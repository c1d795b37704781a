"""The authorization matrix: every route of the app (every rule and method but static files)
called as every role, against an explicit expected answer.

A route missing from EXPECTED fails, so a new route cannot ship without someone deciding who
may call it. Path parameters name records of brand A's manager at franchisee A's branch
(see conftest.build_world; `person_id` is franchisee A's owner), so another brand's manager
and another franchisee's owner get 404 for them: out-of-scope ids reveal nothing. Bodies
are empty or minimal (routes.BODY); what is checked is the status, that a login redirect
really goes to the login page and any other redirect does not, and that no answer is ever
a 5xx.

PDF layout (WeasyPrint) is stubbed here: the report templates are still rendered and every
scope check still runs; tests/reports renders real PDFs.
"""

from __future__ import annotations

import pytest

from audit import create_app
from tests.security.conftest import ROLES, SHOPPER_NAME, rolled_back
from tests.security.routes import call, discover, redirects_to_login

LOGIN = "login"  # 302 to the login page (pages called without a session)

# Roles, in the order of every row below:
#  anonymous, shopper, another brand's manager, manager, owner, another franchisee's owner,
#  admin.  A number is the exact status (a 302 there must not lead to the login page);
#  LOGIN is a 302 to it. An owner's 2xx page or JSON must not name the shopper or another
#  franchisee's branch.
EXPECTED: dict[tuple[str, str], tuple] = {
    ("actions.add_photo", "POST"):               (LOGIN,   403,   404,   422,   422,   404,   422),
    ("actions.change_status", "POST"):           (LOGIN,   403,   404,   400,   400,   404,   400),
    ("actions.comment", "POST"):                 (LOGIN,   403,   404,   422,   422,   404,   422),
    ("actions.detail", "GET"):                   (LOGIN,   403,   404,   200,   200,   404,   200),
    ("actions.edit", "POST"):                    (LOGIN,   403,   404,   422,   403,   403,   422),
    ("actions.index", "GET"):                    (LOGIN,   403,   200,   200,   200,   200,   200),
    ("actions.new", "GET"):                      (LOGIN,   403,   404,   200,   403,   403,   200),
    ("actions.new", "POST"):                     (LOGIN,   403,   404,   422,   403,   403,   422),
    ("actions.photo", "GET"):                    (LOGIN,   403,   404,   200,   200,   404,   200),
    ("actions.thumbnail", "GET"):                (LOGIN,   403,   404,   200,   200,   404,   200),

    ("api-docs.openapi_json", "GET"):            (  200,   200,   200,   200,   200,   200,   200),

    ("api_auth.create_token", "POST"):           (  422,   422,   422,   422,   422,   422,   422),
    ("api_auth.delete_token", "DELETE"):         (  401,   204,   204,   204,   204,   204,   204),
    ("api_auth.me", "GET"):                      (  401,   200,   200,   200,   200,   200,   200),
    ("api_auth.csrf_token", "GET"):              (  401,   200,   200,   200,   200,   200,   200),

    ("api_branches.list_branches", "GET"):       (  401,   200,   200,   200,   200,   200,   200),

    ("api_campaigns.list_campaigns", "GET"):     (  401,   200,   200,   200,   200,   200,   200),

    ("api_checklists.get_checklist", "GET"):     (  401,   200,   404,   200,   200,   200,   200),
    ("api_checklists.list_checklists", "GET"):   (  401,   200,   200,   200,   200,   200,   200),

    ("api_comparison.comparison", "GET"):        (  401,   403,   404,   200,   200,   200,   200),

    ("api_disputes.open_dispute", "POST"):       (  401,   403,   403,   403,   409,   404,   403),

    ("api_notifications.list_notifications", "GET"): (401, 200, 200,   200,   200,   200,   200),
    ("api_notifications.read_all", "POST"):      (  401,   200,   200,   200,   200,   200,   200),
    # the message is the manager's: anybody else, an admin included, is told "not found"
    ("api_notifications.read_notification", "POST"): (401, 404, 404,   200,   404,   404,   404),

    ("api_photos.delete_photo", "DELETE"):       (  401,   409,   404,   403,   403,   404,   403),
    ("api_photos.list_photos", "GET"):           (  401,   200,   404,   200,   200,   404,   200),
    ("api_photos.upload_photo", "POST"):         (  401,   409,   404,   403,   403,   404,   403),

    ("api_portal.summary", "GET"):               (  401,   403,   403,   403,   200,   404,   403),

    ("api_reports.comparison_pdf", "GET"):       (  401,   403,   404,   200,   200,   200,   200),
    ("api_reports.export", "GET"):               (  401,   403,   404,   200,   200,   200,   200),
    ("api_reports.get_report", "GET"):           (  401,   403,   404,   200,   200,   404,   200),
    ("api_reports.list_reports", "GET"):         (  401,   403,   200,   200,   200,   200,   200),
    ("api_reports.report_file", "GET"):          (  401,   403,   404,   200,   200,   404,   200),
    ("api_reports.request_report", "POST"):      (  401,   403,   404,   202,   202,   404,   202),
    ("api_reports.visit_pdf", "GET"):            (  401,   403,   404,   200,   200,   404,   200),

    ("api_visits.get_visit", "GET"):             (  401,   200,   404,   200,   200,   404,   200),
    ("api_visits.list_visits", "GET"):           (  401,   200,   200,   200,   200,   200,   200),
    ("api_visits.put_answers", "PUT"):           (  401,   409,   404,   403,   403,   404,   403),
    ("api_visits.check_in", "POST"):             (  401,   409,   404,   403,   403,   404,   403),
    ("api_visits.submit_visit", "POST"):         (  401,   200,   404,   403,   403,   404,   200),

    ("auth.login", "GET"):                       (  200,   302,   302,   302,   302,   302,   302),
    ("auth.login", "POST"):                      (  400,   302,   302,   302,   302,   302,   302),
    ("auth.logout", "POST"):                     (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("auth.change_password_page", "GET"):        (LOGIN,   200,   200,   200,   200,   200,   200),
    ("auth.change_password_page", "POST"):       (LOGIN,   400,   400,   400,   400,   400,   400),
    ("auth.set_language", "POST"):               (  302,   302,   302,   302,   302,   302,   302),

    ("campaigns.assign", "POST"):                (LOGIN,   403,   404,   422,   403,   403,   422),
    ("campaigns.auto_assign", "POST"):           (LOGIN,   403,   404,   302,   403,   403,   302),
    ("campaigns.edit", "GET"):                   (LOGIN,   403,   404,   200,   403,   403,   200),
    ("campaigns.edit", "POST"):                  (LOGIN,   403,   404,   422,   403,   403,   422),
    ("campaigns.generate", "POST"):              (LOGIN,   403,   404,   302,   403,   403,   302),
    ("campaigns.index", "GET"):                  (LOGIN,   403,   404,   200,   403,   403,   200),
    ("campaigns.new", "GET"):                    (LOGIN,   403,   404,   200,   403,   403,   200),
    ("campaigns.new", "POST"):                   (LOGIN,   403,   404,   422,   403,   403,   422),
    ("campaigns.show", "GET"):                   (LOGIN,   403,   404,   200,   403,   403,   200),
    ("campaigns.unassign", "POST"):              (LOGIN,   403,   404,   302,   403,   403,   302),

    ("checklists.add_section", "POST"):          (LOGIN,   403,   404,   422,   403,   403,   422),
    ("checklists.delete", "POST"):               (LOGIN,   403,   404,   302,   403,   403,   302),
    ("checklists.delete_question", "POST"):      (LOGIN,   403,   404,   302,   403,   403,   302),
    ("checklists.delete_section", "POST"):       (LOGIN,   403,   404,   302,   403,   403,   302),
    ("checklists.edit_question", "GET"):         (LOGIN,   403,   404,   200,   403,   403,   200),
    ("checklists.edit_question", "POST"):        (LOGIN,   403,   404,   422,   403,   403,   422),
    ("checklists.edit_section", "POST"):         (LOGIN,   403,   404,   422,   403,   403,   422),
    ("checklists.export", "GET"):                (LOGIN,   403,   404,   200,   403,   403,   200),
    ("checklists.import_file", "GET"):           (LOGIN,   403,   200,   200,   403,   403,   200),
    ("checklists.import_file", "POST"):          (LOGIN,   403,   422,   422,   403,   403,   422),
    ("checklists.index", "GET"):                 (LOGIN,   403,   200,   200,   403,   403,   200),
    ("checklists.move_question", "POST"):        (LOGIN,   403,   404,   400,   403,   403,   400),
    ("checklists.move_section", "POST"):         (LOGIN,   403,   404,   400,   403,   403,   400),
    ("checklists.new", "GET"):                   (LOGIN,   403,   200,   200,   403,   403,   200),
    ("checklists.new", "POST"):                  (LOGIN,   403,   422,   422,   403,   403,   422),
    ("checklists.new_question", "GET"):          (LOGIN,   403,   404,   200,   403,   403,   200),
    ("checklists.new_question", "POST"):         (LOGIN,   403,   404,   422,   403,   403,   422),
    ("checklists.preview", "GET"):               (LOGIN,   403,   404,   200,   403,   403,   200),
    ("checklists.publish", "POST"):              (LOGIN,   403,   404,   302,   403,   403,   302),
    ("checklists.settings", "POST"):             (LOGIN,   403,   404,   422,   403,   403,   422),
    ("checklists.start_draft", "POST"):          (LOGIN,   403,   404,   302,   403,   403,   302),
    ("checklists.version", "GET"):               (LOGIN,   403,   404,   200,   403,   403,   200),

    ("comparison.page", "GET"):                  (LOGIN,   403,   404,   200,   200,   200,   200),

    ("disputes.accept", "POST"):                 (LOGIN,   403,   404,   422,   403,   403,   422),
    ("disputes.queue", "GET"):                   (LOGIN,   403,   200,   200,   403,   403,   200),
    ("disputes.reject", "POST"):                 (LOGIN,   403,   404,   422,   403,   403,   422),
    ("disputes.resolve", "GET"):                 (LOGIN,   403,   404,   200,   403,   403,   200),

    ("evidence.photo", "GET"):                   (LOGIN,   200,   404,   200,   200,   404,   200),
    ("evidence.thumbnail", "GET"):               (LOGIN,   200,   404,   200,   200,   404,   200),

    ("jobs.board", "GET"):                       (LOGIN,   200,   403,   403,   403,   403,   403),
    ("jobs.claim", "POST"):                      (LOGIN,   302,   403,   403,   403,   403,   403),

    ("notifications.deliveries", "GET"):         (LOGIN,   403,   403,   403,   403,   403,   200),
    ("notifications.index", "GET"):              (LOGIN,   200,   200,   200,   200,   200,   200),
    ("notifications.open_", "GET"):              (LOGIN,   404,   404,   302,   404,   404,   404),
    ("notifications.preferences", "GET"):        (LOGIN,   200,   200,   200,   200,   200,   200),
    ("notifications.preferences", "POST"):       (LOGIN,   302,   302,   302,   302,   302,   302),
    ("notifications.read", "POST"):              (LOGIN,   404,   404,   302,   404,   404,   404),
    ("notifications.read_all", "POST"):          (LOGIN,   302,   302,   302,   302,   302,   302),
    # the signed link is its own authority: no log-in, the same page for anyone holding it
    ("notifications.unsubscribe", "GET"):        (  200,   200,   200,   200,   200,   200,   200),
    ("notifications.unsubscribe", "POST"):       (  200,   200,   200,   200,   200,   200,   200),

    ("orgs.branches", "GET"):                    (LOGIN,   403,   404,   200,   403,   403,   200),
    ("orgs.csv_template", "GET"):                (LOGIN,   403,   200,   200,   403,   403,   200),
    ("orgs.delete_branch", "POST"):              (LOGIN,   403,   404,   302,   403,   403,   302),
    ("orgs.edit_branch", "GET"):                 (LOGIN,   403,   404,   200,   403,   403,   200),
    ("orgs.edit_branch", "POST"):                (LOGIN,   403,   404,   422,   403,   403,   422),
    ("orgs.groups", "GET"):                      (LOGIN,   403,   404,   200,   403,   403,   200),
    ("orgs.import_branches", "GET"):             (LOGIN,   403,   404,   200,   403,   403,   200),
    ("orgs.import_branches", "POST"):            (LOGIN,   403,   404,   422,   403,   403,   422),
    ("orgs.new_branch", "GET"):                  (LOGIN,   403,   404,   200,   403,   403,   200),
    ("orgs.new_branch", "POST"):                 (LOGIN,   403,   404,   422,   403,   403,   422),
    ("orgs.save_group", "POST"):                 (LOGIN,   403,   404,   422,   403,   403,   422),

    ("people.edit", "GET"):                      (LOGIN,   403,   404,   200,   403,   403,   200),
    ("people.edit", "POST"):                     (LOGIN,   403,   404,   422,   403,   403,   422),
    ("people.index", "GET"):                     (LOGIN,   403,   200,   200,   403,   403,   200),
    ("people.new", "GET"):                       (LOGIN,   403,   200,   200,   403,   403,   200),
    ("people.new", "POST"):                      (LOGIN,   403,   422,   422,   403,   403,   422),
    ("people.password", "POST"):                 (LOGIN,   403,   404,   422,   403,   403,   422),
    ("people.unlock", "POST"):                   (LOGIN,   403,   404,   302,   403,   403,   302),

    ("portal.branch", "GET"):                    (LOGIN,   403,   403,   403,   200,   404,   403),
    ("portal.dispute", "POST"):                  (LOGIN,   403,   403,   403,   409,   404,   403),
    ("portal.home", "GET"):                      (LOGIN,   403,   403,   403,   200,   404,   403),
    ("portal.visit", "GET"):                     (LOGIN,   403,   403,   403,   200,   404,   403),

    ("reports.download", "GET"):                 (LOGIN,   403,   404,   200,   200,   404,   200),
    ("reports.export", "GET"):                   (LOGIN,   403,   404,   200,   200,   200,   200),
    ("reports.library", "GET"):                  (LOGIN,   403,   200,   200,   200,   200,   200),
    ("reports.request", "POST"):                 (LOGIN,   403,   404,   302,   302,   404,   302),
    ("reports.status", "GET"):                   (LOGIN,   403,   404,   200,   200,   404,   200),

    ("reports_pdf.comparison_pdf", "GET"):       (LOGIN,   403,   404,   200,   200,   200,   200),
    ("reports_pdf.visit_pdf", "GET"):            (LOGIN,   403,   404,   200,   200,   404,   200),

    ("review.approve", "POST"):                  (LOGIN,   403,   404,   400,   403,   403,   400),
    ("review.edit_answer", "POST"):              (LOGIN,   403,   404,   422,   403,   403,   422),
    ("review.queue", "GET"):                     (LOGIN,   403,   200,   200,   403,   403,   200),
    ("review.return_visit", "POST"):             (LOGIN,   403,   404,   422,   403,   403,   422),
    ("review.visit", "GET"):                     (LOGIN,   403,   404,   200,   403,   403,   200),

    ("privacy.erase", "POST"):                   (LOGIN,   403,   403,   403,   403,   403,   302),
    ("privacy.export", "GET"):                   (LOGIN,   403,   403,   403,   403,   403,   200),

    ("settings.privacy", "POST"):                (LOGIN,   403,   404,   302,   403,   403,   302),
    ("settings.rescore", "POST"):                (LOGIN,   403,   404,   422,   403,   403,   422),
    ("settings.service_levels", "POST"):         (LOGIN,   403,   404,   422,   403,   403,   422),
    ("settings.weights", "GET"):                 (LOGIN,   403,   404,   200,   403,   403,   200),
    ("settings.weights", "POST"):                (LOGIN,   403,   404,   422,   403,   403,   422),

    ("triggers.add", "POST"):                    (LOGIN,   403,   404,   422,   403,   403,   422),
    ("triggers.delete", "POST"):                 (LOGIN,   403,   404,   302,   403,   403,   302),
    ("triggers.edit", "GET"):                    (LOGIN,   403,   404,   200,   403,   403,   200),
    ("triggers.edit", "POST"):                   (LOGIN,   403,   404,   422,   403,   403,   422),
    ("triggers.rules", "GET"):                   (LOGIN,   403,   404,   200,   403,   403,   200),
    ("triggers.toggle", "POST"):                 (LOGIN,   403,   404,   302,   403,   403,   302),
    ("targets.delete", "POST"):                  (LOGIN,   403,   404,   302,   403,   403,   302),
    ("targets.edit", "GET"):                     (LOGIN,   403,   404,   200,   403,   403,   200),
    ("targets.edit", "POST"):                    (LOGIN,   403,   404,   422,   403,   403,   422),
    ("targets.index", "GET"):                    (LOGIN,   403,   404,   200,   403,   403,   200),
    ("targets.new", "GET"):                      (LOGIN,   403,   404,   200,   403,   403,   200),
    ("targets.new", "POST"):                     (LOGIN,   403,   404,   422,   403,   403,   422),

    ("visits.add_photo", "POST"):                (LOGIN,   302,   404,   302,   302,   404,   302),
    ("visits.delete_photo", "POST"):             (LOGIN,   302,   404,   302,   302,   404,   302),
    ("visits.save", "POST"):                     (LOGIN,   409,   404,   409,   409,   404,   409),
    ("visits.show", "GET"):                      (LOGIN,   200,   404,   200,   200,   404,   200),

    ("web.healthz", "GET"):                      (  200,   200,   200,   200,   200,   200,   200),
    ("web.favicon", "GET"):                      (  200,   200,   200,   200,   200,   200,   200),
    ("offline.service_worker", "GET"):           (  200,   200,   200,   200,   200,   200,   200),
    ("offline.manifest", "GET"):                 (  200,   200,   200,   200,   200,   200,   200),
    ("offline.page", "GET"):                     (  200,   200,   200,   200,   200,   200,   200),
    ("web.home", "GET"):                         (LOGIN,   200,   200,   200,   200,   200,   200),
}

ROUTES = discover(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))
# What an owner must never read: the shopper, and branches of other franchisees (by name).
NOT_FOR_OWNER = {"owner": (SHOPPER_NAME, "a branch 1", "a branch 2", "a branch 3"),
                 "other_owner": (SHOPPER_NAME, "a branch 0", "a branch 2", "a branch 3")}


@pytest.fixture(scope="module", autouse=True)
def _fast_pdfs(stub_pdf_layout):
    """Before the world is built (its report renders too)."""


def test_every_route_has_an_expectation():
    missing = sorted(set(ROUTES) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(ROUTES))
    assert not missing, f"routes without an entry in EXPECTED (decide who may call them): {missing}"
    assert not stale, f"entries in EXPECTED for routes that no longer exist: {stale}"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def _answer(response, role: str) -> str | int:
    """The answer as the table writes it, or a description of what must never happen."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if redirects_to_login(response):
        return LOGIN
    if role in NOT_FOR_OWNER and status < 300 and response.mimetype in (
            "text/html", "application/json"):
        body = response.get_data(as_text=True)
        leaked = [secret for secret in NOT_FOR_OWNER[role] if secret in body]
        if leaked:
            return f"{status} showing {leaked}"
    return status


@pytest.mark.parametrize(("endpoint", "method"), ROUTES, ids=[f"{e}:{m}" for e, m in ROUTES])
def test_route_answers_every_role_as_expected(app, world_connection, endpoint, method):
    """One row of the matrix; each role's call in its own savepoint and session."""
    connection, world = world_connection
    answers = []
    for role in ROLES:
        with rolled_back(app, connection):
            response = call(app, app.test_client(), world, endpoint, method, role)
            answers.append(_answer(response, role))
            response.close()  # a file sent as it is (the favicon) holds it open until then
    observed = dict(zip(ROLES, answers, strict=True))
    assert (endpoint, method) in EXPECTED, (
        f"{endpoint} {method} has no entry in EXPECTED; it answers {observed}")
    expected = dict(zip(ROLES, EXPECTED[(endpoint, method)], strict=True))
    wrong = {role: f"{observed[role]} (expected {expected[role]})" for role in ROLES
             if observed[role] != expected[role]}
    assert not wrong, f"{endpoint} {method}: {wrong}"
