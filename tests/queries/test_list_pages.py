"""Every list page runs as many SQL statements with many rows as with few: a query run once
per row (an N+1) fails here. Each test renders the page, adds rows (on new branches, for
new people, so a per-row load of a branch or a person shows), and renders it again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit.checklists.operations import create_checklist
from audit.comparison import breakdown
from audit.comparison import service as comparison
from audit.disputes import operations as disputes
from audit.extensions import db
from audit.models.auth import User
from audit.models.orgs import Branch, Franchisee, Region
from audit.models.reports import Report
from audit.models.targets import Target
from audit.review import operations as review
from audit.visits import operations
from tests.support import assert_queries_flat, login, perfect_answers

EN = {"Accept-Language": "en"}
TODAY = date.today()


class Rows:
    """Builders of brand A's rows for one test; every call uses new branches and people."""

    def __init__(self, world, make_visit, make_user, session) -> None:
        self.world, self.make_visit, self.make_user, self.session = (
            world, make_visit, make_user, session)
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def branch(self, franchisee=None) -> Branch:
        """A new branch of brand A in a new region, in the campaign's scope."""
        n = self._next()
        brand = self.world.a.brand
        region = Region(brand=brand, name=f"Q region {n}")
        branch = Branch(brand=brand, region=region, franchisee=franchisee, code=f"Q{n:03d}",
                        name=f"Q branch {n}", address=f"{n} Query Street",
                        latitude=10.0, longitude=106.0)
        self.session.add_all([region, branch])
        self.world.campaign_a.branches.append(branch)
        self.session.flush()
        return branch

    def shopper(self) -> User:
        return self.make_user("shopper")

    def visit(self, status="assigned", *, branch=None, shopper=None, campaign=None):
        """A visit in `status` at a new branch (of the owner's franchisee by default)."""
        branch = branch or self.branch(self.world.a.franchisee)
        if status in ("open", "assigned", "in_progress"):
            return self.make_visit(branch=branch, shopper=shopper, status=status,
                                   campaign=campaign)
        shopper = shopper or self.shopper()
        visit = self.make_visit(branch=branch, shopper=shopper, campaign=campaign)
        operations.save_answers(visit, perfect_answers(visit, {"P2.1": False, "P3.1": False}),
                                shopper)
        operations.submit(visit, shopper)
        if status == "approved":
            review.approve(visit, self.world.people.manager, visit.revision)
        return visit

    def visits(self, count, status="assigned", **kw) -> list:
        return [self.visit(status, **kw) for _ in range(count)]


@pytest.fixture
def rows(world, make_visit, make_user, session) -> Rows:
    return Rows(world, make_visit, make_user, session)


def cold_caches() -> None:
    """Empty the comparison's per-process caches, so each request computes its numbers."""
    for cache in (breakdown.parts_cache, comparison.numbers_cache, comparison.scope_cache):
        cache.clear()


@pytest.fixture
def flat(client, count_queries, session):
    """flat(url, grow, headers=EN): the page answers 200 and runs as many statements after
    `grow()` as before. Before each request the session is expired (the page loads what it
    shows as in a fresh request, nothing served from the test's identity map) and the
    comparison's caches are emptied (both requests compute)."""

    def check(url, grow, headers=EN):
        def fetch():
            session.expire_all()
            cold_caches()
            return client.get(url, headers=headers)

        def grow_and_flush():
            grow()
            session.flush()

        session.flush()
        before, after = assert_queries_flat(count_queries, fetch, grow_and_flush)
        assert len(after.data) > len(before.data), "the new rows are not on the page"

    return check


# The shopper's pages


def test_shopper_home(client, world, rows, flat):
    shopper = world.people.shopper
    rows.visits(2, "assigned", shopper=shopper)
    login(client, shopper)

    def grow():
        for status in ("assigned", "in_progress", "submitted", "approved"):
            rows.visits(2, status, shopper=shopper)

    flat("/", grow)


def test_job_board(client, world, rows, flat):
    world.campaign_a.allow_claims = True
    rows.visits(2, "open")
    login(client, world.people.shopper)
    flat("/jobs", lambda: rows.visits(6, "open"))


# The manager's pages


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_manager_and_admin_home(client, world, rows, flat, role):
    rows.visits(2, "approved")
    login(client, getattr(world.people, role))
    flat("/", lambda: (rows.visits(4, "approved"), rows.visits(2, "submitted")))


def test_review_queue(client, world, rows, flat):
    rows.visits(2, "submitted")
    login(client, world.people.manager)
    flat("/review", lambda: rows.visits(6, "submitted"))


@pytest.mark.parametrize("role", ["manager", "owner"])
def test_actions_list(client, world, rows, flat, role):
    rows.visits(1, "approved")  # two critical fails: two actions
    login(client, getattr(world.people, role))
    flat("/actions", lambda: rows.visits(4, "approved"))


def test_disputes_queue(client, world, rows, flat):
    owner = world.people.owner

    def dispute(count):
        for visit in rows.visits(count, "approved"):
            disputes.open_dispute(visit, "P3.1", "Có chào.", owner)

    dispute(1)
    login(client, world.people.manager)
    flat("/disputes", lambda: dispute(5))


def test_campaigns_list(client, world, rows, flat):
    login(client, world.people.manager)

    def grow():
        for code in ("care-protocol-in-person", "phone-call-audit", "servqual-branch"):
            campaign = world.campaign(world.a, code)
            rows.visit("assigned", campaign=campaign)
            rows.visit("open", campaign=campaign)

    flat("/campaigns", grow)


def test_campaign_page(client, world, rows, flat):
    rows.visits(2, "approved")
    login(client, world.people.manager)
    flat(f"/campaigns/{world.campaign_a.id}",
         lambda: (rows.visits(2, "approved"), rows.visits(2, "submitted"),
                  rows.visits(2, "assigned"), rows.visits(2, "open")))


def test_checklists_list(client, world, flat):
    manager = world.people.manager
    login(client, manager)

    def grow():
        for n in range(6):
            create_checklist(world.a.brand, {"code": f"query-{n}", "title": {"en": f"Q {n}"},
                                             "channel": "in_person"}, manager)

    flat("/checklists", grow)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_people_list(client, world, make_user, flat, role):
    login(client, getattr(world.people, role))
    a = world.a

    def grow():
        for n in range(3):
            franchisee = Franchisee(brand=a.brand, name=f"Q franchisee {n}")
            db.session.add(franchisee)
            make_user("franchise_owner", franchisee=franchisee)
            make_user("quality_manager", brand=a.brand)
            make_user("shopper")

    flat("/people", grow)


def test_branches_list(client, world, rows, flat):
    login(client, world.people.manager)

    def grow():
        for n in range(6):
            franchisee = Franchisee(brand=world.a.brand, name=f"Q franchisee {n}")
            db.session.add(franchisee)
            rows.branch(franchisee)

    flat("/branches", grow)


def test_branch_groups(client, world, rows, flat):
    login(client, world.people.manager)

    def grow():
        for n in range(4):
            db.session.add(Franchisee(brand=world.a.brand, name=f"Q franchisee {n}"))
            rows.branch()

    flat("/branches/groups", grow)


def test_targets_list(client, world, rows, flat):
    manager = world.people.manager
    rows.visits(2, "approved")
    login(client, manager)

    def grow(count=3):
        for n, visit in enumerate(rows.visits(count, "approved")):
            db.session.add_all([
                Target(brand=world.a.brand, scope="branch", branch=visit.branch,
                       metric="empathy", value=60 + n, due_on=TODAY + timedelta(days=30),
                       created_by=manager),
                Target(brand=world.a.brand, scope="region", region=visit.branch.region,
                       metric="overall", value=70 + n, due_on=TODAY + timedelta(days=30),
                       every_branch=bool(n % 2), created_by=manager),
            ])

    grow(2)
    flat("/targets", grow)


def test_report_library(client, world, rows, flat):
    manager = world.people.manager
    login(client, manager)

    def grow(count=3):
        for visit in rows.visits(count, "approved"):
            db.session.add_all([
                Report(kind="visit", params={"visit": visit.id}, lang="en",
                       brand_id=world.a.brand.id, requested_by=manager),
                Report(kind="comparison", params={"campaign": world.campaign_a.id},
                       lang="vi", brand_id=world.a.brand.id, requested_by=manager,
                       status="failed", error="failed: test"),
            ])

    grow(1)
    flat("/reports", grow)


@pytest.mark.parametrize("role", ["manager", "owner"])
def test_comparison_page(client, world, rows, flat, role):
    rows.visits(2, "approved")
    login(client, getattr(world.people, role))
    flat(f"/comparison?campaign={world.campaign_a.id}",
         lambda: (rows.visits(6, "approved"), rows.visits(1, "submitted")))


# The owner's portal


def test_owner_home(client, world, rows, flat):
    rows.visits(2, "approved")
    login(client, world.people.owner)
    flat("/", lambda: rows.visits(5, "approved"))


def test_portal_home(client, world, rows, flat):
    rows.visits(2, "approved")
    login(client, world.people.owner)
    flat("/portal", lambda: rows.visits(5, "approved"))


def test_portal_branch(client, world, rows, flat):
    branch = world.a.branches[0]
    rows.visits(1, "approved", branch=branch)
    login(client, world.people.owner)
    flat(f"/portal/branches/{branch.id}", lambda: rows.visits(5, "approved", branch=branch))


# The API's lists


@pytest.mark.parametrize(("role", "path"), [
    ("shopper", "/api/v1/visits"), ("manager", "/api/v1/visits"),
    ("owner", "/api/v1/visits"), ("manager", "/api/v1/campaigns"),
    ("manager", "/api/v1/branches"), ("owner", "/api/v1/branches"),
    ("manager", "/api/v1/checklists"), ("manager", "/api/v1/reports"),
    ("manager", "/api/v1/comparison"), ("owner", "/api/v1/portal/summary"),
])
def test_api_lists(world, rows, flat, token_for, role, path):
    user = getattr(world.people, role)
    manager = world.people.manager
    shopper = world.people.shopper
    made = iter(range(100))

    def grow(count=2):
        for visit in rows.visits(count, "approved", shopper=shopper):
            db.session.add_all([
                Report(kind="visit", params={"visit": visit.id}, lang="en",
                       brand_id=world.a.brand.id, requested_by=user),
                Report(kind="comparison", params={"campaign": world.campaign_a.id},
                       lang="vi", brand_id=world.a.brand.id, requested_by=user)])
            campaign = world.campaign(world.a, "servqual-branch")
            rows.visit("approved", shopper=shopper, campaign=campaign)
            create_checklist(world.a.brand, {"code": f"query-api-{next(made)}",
                                             "title": {"en": "Q"}, "channel": "in_person"},
                             manager)
        rows.visits(count, "assigned", shopper=shopper)

    grow(1)
    if path == "/api/v1/comparison":
        path += f"?campaign={world.campaign_a.id}"
    flat(path, grow, headers=token_for(user))
