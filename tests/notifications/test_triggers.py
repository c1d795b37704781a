"""Score triggers: the pure evaluation as a table, then who hears of a visit when it is
submitted (managers) and published (owners too), and no one outside scope."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.notifications import Notification
from audit.models.targets import Target
from audit.models.triggers import ScoreTrigger
from audit.review import operations as review
from audit.scoring.stored import StoredScores
from audit.scoring.triggers import Rule, Shortfall, fired
from audit.triggers.fire import branch_targets
from audit.visits import operations
from tests.notifications.messages import render_message
from tests.support import login, perfect_answers

DIMS = {
    "tangibles": 90.0,
    "reliability": 70.0,
    "responsiveness": None,
    "assurance": 50.0,
    "empathy": 100.0,
}


def scores(overall=75.0, critical=False, codes=(), dims=None) -> StoredScores:
    return StoredScores(
        overall=overall, critical_fail=critical, critical_failures=codes, dimensions=dims or DIMS
    )


@pytest.mark.parametrize(
    ("rule", "record", "targets", "expected"),
    [
        (Rule(1, "overall_below", 80), scores(), {}, [Shortfall("overall", 75.0, 80)]),
        (Rule(1, "overall_below", 75), scores(), {}, []),  # equal is not under
        (Rule(1, "overall_below", 80), scores(overall=None), {}, []),  # null is not 0
        (
            Rule(1, "critical_fail"),
            scores(critical=True, codes=("P2.1",)),
            {},
            [Shortfall("critical", None, None, ("P2.1",))],
        ),
        (Rule(1, "critical_fail"), scores(), {}, []),
        (
            Rule(1, "dimension_below", 60, "assurance"),
            scores(),
            {},
            [Shortfall("assurance", 50.0, 60)],
        ),
        (Rule(1, "dimension_below", 60, "tangibles"), scores(), {}, []),
        (
            Rule(1, "dimension_below", 80),
            scores(),
            {},  # any dimension; the null one never
            [Shortfall("reliability", 70.0, 80), Shortfall("assurance", 50.0, 80)],
        ),
        (Rule(1, "dimension_below_target", None, "empathy"), scores(), {"empathy": 85}, []),
        (
            Rule(1, "dimension_below_target", None, "reliability"),
            scores(),
            {"reliability": 85},
            [Shortfall("reliability", 70.0, 85)],
        ),
        (
            Rule(1, "dimension_below_target"),
            scores(),
            {"tangibles": 95, "responsiveness": 80},
            [Shortfall("tangibles", 90.0, 95)],
        ),
        (Rule(1, "dimension_below_target", None, "assurance"), scores(), {}, []),  # no target
    ],
)
def test_a_rule_fires_on_the_figures_under_its_limit(rule, record, targets, expected):
    result = fired(record, [rule], targets)
    assert [list(f.shortfalls) for f in result] == ([expected] if expected else [])


def test_region_rules_and_unscored_visits():
    rules = [Rule(1, "overall_below", 80, region_id=7), Rule(2, "overall_below", 80)]
    assert [f.rule.id for f in fired(scores(), rules, region_id=7)] == [1, 2]
    assert [f.rule.id for f in fired(scores(), rules, region_id=8)] == [2]
    assert fired(StoredScores.EMPTY, rules) == []


# Integration ---------------------------------------------------------------------------
def rule(session, world, **fields) -> ScoreTrigger:
    row = ScoreTrigger(brand=world.a.brand, **fields)
    session.add(row)
    session.flush()
    return row


def alerts(session, user) -> list[Notification]:
    return session.scalars(
        select(Notification)
        .filter_by(user_id=user.id, kind="score_alert")
        .order_by(Notification.id)
    ).all()


@pytest.fixture
def failing(world, make_visit):
    """A visit at branch A00 (franchisee A) with the critical greeting failed, not yet sent."""
    visit = make_visit()
    operations.save_answers(visit, perfect_answers(visit, failing=("P2.1",)), world.people.shopper)
    return visit


def test_managers_hear_at_submission_owners_at_publication(world, session, failing):
    people = world.people
    critical = rule(
        session,
        world,
        condition="critical_fail",
        tell_managers=True,
        tell_owners=True,
        attach_pdf=True,
    )
    rule(
        session,
        world,
        condition="overall_below",
        threshold=10,
        tell_managers=False,
        tell_owners=True,
    )
    other = ScoreTrigger(brand=world.b.brand, condition="critical_fail")
    session.add(other)
    operations.submit(failing, people.shopper)

    [alert] = alerts(session, people.manager)
    assert alert.context["stage"] == "submitted" and alert.link == f"/review/{failing.id}"
    assert (alert.attachment_kind, alert.attachment_ref) == ("visit_pdf", failing.id)
    assert alert.dedupe_key == f"trigger:{critical.id}:visit:{failing.id}"
    for nobody in (people.owner, people.other_owner, people.other_manager, people.admin):
        assert alerts(session, nobody) == []

    review.approve(failing, people.manager, failing.revision)
    assert len(alerts(session, people.manager)) == 1  # once per rule and visit
    owner_alerts = alerts(session, people.owner)
    assert [a.context["condition"] for a in owner_alerts] == ["critical_fail", "overall_below"]
    assert all(a.link == f"/portal/visits/{failing.id}" for a in owner_alerts)
    assert alerts(session, people.other_owner) == []  # the other franchisee's owner
    assert alerts(session, people.other_manager) == []  # the other brand's manager
    for row in owner_alerts:
        assert "Nguyễn Bí Mật" not in json.dumps(row.context, ensure_ascii=False)
        assert "shopper" not in row.context


def test_an_owner_message_reads_well_and_never_names_the_shopper(app, world, session, failing):
    rule(
        session,
        world,
        condition="critical_fail",
        tell_managers=False,
        tell_owners=True,
        attach_pdf=True,
    )
    operations.submit(failing, world.people.shopper)
    review.approve(failing, world.people.manager, failing.revision)
    [alert] = alerts(session, world.people.owner)
    for locale, words in (("en", "set off the score rule"), ("vi", "quy tắc cảnh báo điểm")):
        message = render_message(app, alert, locale)
        assert words in message["text"] and words in message["html"]
        assert failing.branch.name in message["subject"]
        assert "P2.1" in message["text"]
        assert all("Nguyễn Bí Mật" not in part for part in message.values())


def test_a_region_rule_and_a_paused_rule_stay_quiet(world, session, failing):
    rule(session, world, condition="critical_fail", region=world.a.regions[1])  # South
    rule(session, world, condition="critical_fail", active=False)
    operations.submit(failing, world.people.shopper)
    assert alerts(session, world.people.manager) == []
    assert failing.branch.region == world.a.regions[0]


def test_dimension_under_its_target_uses_the_most_specific_target(world, session, failing):
    branch = failing.branch
    due = date.today() + timedelta(days=30)
    session.add_all(
        [
            Target(brand=world.a.brand, scope="brand", metric="empathy", value=95, due_on=due),
            Target(
                brand=world.a.brand,
                scope="branch",
                branch=branch,
                metric="empathy",
                value=10,
                due_on=due,
            ),
            Target(
                brand=world.a.brand,
                scope="region",
                region=branch.region,
                metric="assurance",
                value=99,
                due_on=due,
            ),
        ]
    )
    session.flush()
    assert branch_targets(failing) == {"empathy": 10, "assurance": 99}
    rule(session, world, condition="dimension_below_target", dimension="empathy")
    operations.submit(failing, world.people.shopper)
    empathy = failing.score_record.dimensions["empathy"]
    assert empathy is not None and 10 <= empathy < 95  # the branch's own target stands
    assert alerts(session, world.people.manager) == []


def test_a_dimension_under_a_number_tells_the_managers(world, session, failing):
    rule(session, world, condition="dimension_below", threshold=99.5, dimension="empathy")
    operations.submit(failing, world.people.shopper)
    [alert] = alerts(session, world.people.manager)
    [shortfall] = alert.context["shortfalls"]
    assert shortfall["metric"] == "empathy" and shortfall["limit"] == 99.5


def test_the_rules_page_adds_pauses_and_removes_a_rule(client, world, session):
    login(client, world.people.manager)
    page = client.get("/settings/triggers", headers={"Accept-Language": "vi"})
    assert page.status_code == 200 and "Cảnh báo điểm" in page.get_data(as_text=True)
    refused = client.post(
        "/settings/triggers",
        headers={"Accept-Language": "en"},
        data={
            "condition": "overall_below",
            "threshold": "",
            "dimension": "",
            "region": "",
            "tell_managers": "y",
        },
    )
    assert refused.status_code == 422
    assert "Give the score under which the rule fires." in refused.get_data(as_text=True)
    nobody = client.post(
        "/settings/triggers",
        headers={"Accept-Language": "vi"},
        data={"condition": "critical_fail", "threshold": "", "dimension": "", "region": ""},
    )
    assert nobody.status_code == 422
    assert "Chọn người nhận" in nobody.get_data(as_text=True)
    assert session.scalars(select(ScoreTrigger)).all() == []
    added = client.post(
        "/settings/triggers",
        data={
            "condition": "dimension_below",
            "threshold": "70",
            "dimension": "empathy",
            "region": str(world.a.regions[0].id),
            "tell_managers": "y",
            "tell_owners": "y",
            "attach_pdf": "y",
        },
    )
    assert added.status_code == 302
    row = session.scalars(select(ScoreTrigger)).one()
    assert (
        row.brand_id,
        row.condition,
        row.threshold,
        row.dimension,
        row.region_id,
        row.tell_owners,
        row.attach_pdf,
    ) == (world.a.brand.id, "dimension_below", 70.0, "empathy", world.a.regions[0].id, True, True)
    assert client.post(f"/settings/triggers/{row.id}/active").status_code == 302
    session.refresh(row)
    assert row.active is False
    assert client.post(f"/settings/triggers/{row.id}/delete").status_code == 302
    actions = session.scalars(
        select(AuditLog.action).where(AuditLog.entity == "score_trigger")
    ).all()
    assert actions == ["create", "active", "delete"]


def test_a_rule_is_changed_in_place_and_a_refused_change_loses_nothing(client, world, session):
    row = rule(session, world, condition="overall_below", threshold=60.0)
    session.commit()
    login(client, world.people.manager)
    form = client.get(f"/settings/triggers/{row.id}/edit", headers={"Accept-Language": "en"})
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Change the rule" in html and 'value="60.0"' in html
    refused = client.post(
        f"/settings/triggers/{row.id}/edit",
        headers={"Accept-Language": "vi"},
        data={"condition": "overall_below", "threshold": "150", "dimension": "",
              "region": "", "tell_managers": "y", "tell_owners": "y"},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nhập điểm từ 0 đến 100." in page
    assert 'name="threshold" step="0.1" type="number" value="150"' in page  # kept to correct
    assert '<input checked id="tell_owners"' in page
    session.refresh(row)
    assert (row.threshold, row.tell_owners) == (60.0, False)  # nothing changed
    saved = client.post(
        f"/settings/triggers/{row.id}/edit",
        data={"condition": "dimension_below", "threshold": "55", "dimension": "empathy",
              "region": str(world.a.regions[0].id), "tell_managers": "y", "tell_owners": "y",
              "attach_pdf": "y"},
    )
    assert saved.status_code == 302
    session.refresh(row)
    assert (row.condition, row.threshold, row.dimension, row.region_id, row.tell_owners,
            row.attach_pdf) == ("dimension_below", 55.0, "empathy", world.a.regions[0].id,
                                True, True)
    assert session.scalars(select(ScoreTrigger)).all() == [row]  # the same rule, not a new one
    (entry,) = session.scalars(select(AuditLog).where(AuditLog.action == "update")).all()
    assert (entry.entity, entry.entity_id) == ("score_trigger", row.id)


@pytest.mark.parametrize(
    ("who", "status"), [("other_manager", 404), ("owner", 403), ("shopper", 403)]
)
def test_nobody_else_changes_a_brands_rules(client, world, session, who, status):
    row = rule(session, world, condition="critical_fail")
    session.commit()
    login(client, getattr(world.people, who))
    assert client.post(f"/settings/triggers/{row.id}/delete").status_code == status
    edit = client.post(f"/settings/triggers/{row.id}/edit", data={
        "condition": "overall_below", "threshold": "99", "tell_managers": "y"})
    assert edit.status_code == status
    assert client.get(f"/settings/triggers/{row.id}/edit").status_code == status
    session.refresh(row)
    assert (row.condition, row.threshold) == ("critical_fail", None)
