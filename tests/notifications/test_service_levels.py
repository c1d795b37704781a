"""Service levels: the brand's settings, the review queue's time left, escalation past the
review deadline, automatic publishing, and returned visits not resubmitted in time. Every
scheduled task run twice acts once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.models.auditlog import AuditLog
from audit.models.notifications import Notification
from audit.models.visits import Photo
from audit.notifications.schedule import TASKS
from audit.review import operations as review
from audit.review import service_levels
from audit.review.deadlines import TimeLeft
from audit.review.flags import review_flags
from audit.visits import operations
from tests.notifications.messages import render_message
from tests.support import login, perfect_answers

HOURS = timedelta(hours=1)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def sent(session, user, kind) -> list[Notification]:
    return session.scalars(select(Notification).filter_by(user_id=user.id, kind=kind)).all()


def clean(visit, session) -> None:
    """Nothing for a reviewer to look at: the required photo is there, and the checklist
    took a believable time to fill."""
    for answer in visit.answers:
        answer.first_answered_at = visit.submitted_at - 2 * HOURS
    required = next(q for q in visit.checklist_version.ordered_questions() if q.photo_required)
    session.add(
        Photo(
            visit=visit,
            question=required,
            storage_key=f"k{visit.id}",
            content_type="image/jpeg",
            uploaded_by_id=visit.shopper_id,
        )
    )
    session.flush()


@pytest.fixture
def submit(world, make_visit, session):
    """Submit a visit of brand A `hours_ago` hours back (perfect, or with `failing`)."""

    def make(hours_ago: float = 0, failing=(), branch=None, tidy=True):
        visit = make_visit(branch=branch)
        operations.save_answers(
            visit, perfect_answers(visit, failing=failing), world.people.shopper
        )
        operations.submit(visit, world.people.shopper)
        visit.submitted_at = utcnow() - hours_ago * HOURS
        if tidy:
            clean(visit, session)
        session.commit()
        return visit

    return make


# Settings ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "lang", "message"),
    [
        ({"sla-review_within_hours": "0"}, "en", "Give a whole number of hours from 1 to 1440."),
        ({"sla-review_within_hours": "2000"}, "vi", "Nhập số giờ nguyên từ 1 đến 1440."),
        ({"sla-resubmit_within_hours": ""}, "en", "Give a whole number of hours from 1 to 1440."),
        (
            {"sla-auto_publish_after_hours": "12"},
            "en",
            "Publish automatically only after the review deadline: at least 48 hours.",
        ),
        ({"sla-auto_publish_after_hours": "abc"}, "vi", "Không phải số nguyên hợp lệ."),
    ],
)
def test_a_refused_service_level_changes_nothing(client, world, session, values, lang, message):
    brand = world.a.brand
    brand.weight_empathy, brand.weight_tangibles = 30, 10
    session.commit()
    login(client, world.people.manager)
    data = {
        "sla-review_within_hours": "48",
        "sla-auto_publish_after_hours": "",
        "sla-resubmit_within_hours": "24",
        **values,
    }
    page = client.post("/settings/service-levels", data=data, headers={"Accept-Language": lang})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert message in html
    field = html[html.index(f'id="{next(iter(values))}"') :]
    assert field.index(message) < field.index("</div>")  # shown at the field
    session.refresh(brand)
    assert (
        brand.review_within_hours,
        brand.auto_publish_after_hours,
        brand.resubmit_within_hours,
        brand.weight_empathy,
    ) == (48, None, 24, 30)
    assert 'name="weight_empathy" type="number" value="30"' in html or 'value="30"' in html


def test_service_levels_are_saved_and_logged(client, world, session):
    login(client, world.people.manager)
    response = client.post(
        "/settings/service-levels",
        data={
            "sla-review_within_hours": "24",
            "sla-auto_publish_after_hours": "72",
            "sla-resubmit_within_hours": "12",
        },
    )
    assert response.status_code == 302
    brand = world.a.brand
    session.refresh(brand)
    assert (
        brand.review_within_hours,
        brand.auto_publish_after_hours,
        brand.resubmit_within_hours,
    ) == (24, 72, 12)
    entry = session.scalars(select(AuditLog).filter_by(action="service_levels")).one()
    assert entry.old_value["auto_publish_after_hours"] is None
    assert entry.new_value["auto_publish_after_hours"] == 72
    page = client.get("/settings/weights").get_data(as_text=True)
    assert 'value="72"' in page


@pytest.mark.parametrize("who", ["owner", "shopper"])
def test_only_managers_set_service_levels(client, world, who):
    login(client, getattr(world.people, who))
    assert (
        client.post(
            "/settings/service-levels",
            data={"sla-review_within_hours": "1", "sla-resubmit_within_hours": "1"},
        ).status_code
        == 403
    )


# The review queue ----------------------------------------------------------------------
def test_time_left_in_words():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert TimeLeft.until(now + 5.5 * HOURS, now) == TimeLeft(5, False)
    assert TimeLeft.until(now - 3.2 * HOURS, now) == TimeLeft(3, True)
    assert TimeLeft.until(now + timedelta(minutes=10), now) == TimeLeft(0, False)


def test_the_queue_shows_time_left_and_sorts_by_it(client, world, submit, session):
    fresh = submit(hours_ago=0.5, branch=world.a.branches[1])
    late = submit(hours_ago=51.5, branch=world.a.branches[2])
    login(client, world.people.manager)
    html = client.get("/review?sort=deadline", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "47 hours left" in html and "overdue by 3 hours" in html
    assert html.index(late.branch.name) < html.index(fresh.branch.name)
    assert 'class="time-left overdue"' in html
    vi = client.get("/review?sort=deadline", headers={"Accept-Language": "vi"}).get_data(
        as_text=True
    )
    assert "còn 47 giờ" in vi and "quá hạn 3 giờ" in vi


def test_time_left_long_past_reads_in_days_or_months(app):
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert TimeLeft.until(now - 100 * HOURS, now).text == "overdue by 4 days"
        assert TimeLeft.until(now - 2134 * HOURS, now).text == "overdue by 3 months"
        assert TimeLeft.until(now + 30 * HOURS, now).text == "30 hours left"
        assert TimeLeft.until(now - 1.5 * HOURS, now).text == "overdue by 1 hour"  # not 60 min
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        assert TimeLeft.until(now - 100 * HOURS, now).text == "quá hạn 4 ngày"


# Escalation ----------------------------------------------------------------------------
def test_a_visit_past_its_review_deadline_is_escalated_once(world, submit, session, make_user):
    late = submit(hours_ago=49)
    submit(hours_ago=10, branch=world.a.branches[1])  # still within 48 h
    colleague = make_user("quality_manager", brand=world.a.brand)
    now = utcnow()
    assert TASKS["review_overdue"] is service_levels.escalate_overdue_reviews
    assert service_levels.escalate_overdue_reviews(now) == 1
    assert service_levels.escalate_overdue_reviews(now + HOURS) == 0
    for manager in (world.people.manager, colleague):
        [row] = sent(session, manager, "review_overdue")
        assert row.context["visit_id"] == late.id and row.link == f"/review/{late.id}"
    for nobody in (world.people.other_manager, world.people.admin, world.people.owner):
        assert sent(session, nobody, "review_overdue") == []


def test_escalation_message_in_both_languages(app, world, submit, session):
    submit(hours_ago=49)
    service_levels.escalate_overdue_reviews(utcnow())
    [row] = sent(session, world.people.manager, "review_overdue")
    assert "48" in render_message(app, row, "en")["text"]
    assert "hạn duyệt" in render_message(app, row, "vi")["subject"]


# Automatic publishing ------------------------------------------------------------------
def test_nothing_is_published_automatically_unless_the_brand_says_so(world, submit):
    visit = submit(hours_ago=500)
    assert service_levels.publish_unreviewed(utcnow()) == 0
    assert visit.status == "submitted"


def test_an_unflagged_visit_is_published_through_the_reviewers_operation(
    client, world, submit, session, monkeypatch
):
    world.a.brand.auto_publish_after_hours = 72
    eligible = submit(hours_ago=73)
    critical = submit(hours_ago=80, failing=("P2.1",), branch=world.a.branches[1])
    flagged = submit(hours_ago=80, branch=world.a.branches[2], tidy=False)
    young = submit(hours_ago=70, branch=world.a.branches[3])
    assert review_flags(eligible) == [] and "critical_fail" in review_flags(critical)
    assert review_flags(flagged)
    published_through = []
    original = review.actions.on_visit_published
    monkeypatch.setattr(
        review.actions,
        "on_visit_published",
        lambda visit, actor: (published_through.append(visit.id), original(visit, actor)),
    )
    now = utcnow()
    assert service_levels.publish_unreviewed(now) == 1
    assert service_levels.publish_unreviewed(now + HOURS) == 0
    assert published_through == [eligible.id]
    assert (eligible.status, eligible.auto_published) == ("approved", True)
    for waiting in (critical, flagged, young):
        session.refresh(waiting)
        assert waiting.status == "submitted"
    log = session.scalars(
        select(AuditLog)
        .where(AuditLog.entity_id == eligible.id, AuditLog.action.in_(("auto_publish", "status")))
        .order_by(AuditLog.id)
    ).all()
    assert [(e.action, e.actor_id) for e in log][-2:] == [("auto_publish", None), ("status", None)]
    assert "published automatically" in log[-1].reason
    [row] = sent(session, world.people.manager, "visit_auto_published")
    assert row.delivery == "digest"
    assert sent(session, world.people.other_manager, "visit_auto_published") == []
    login(client, world.people.manager)
    html = client.get(f"/review/{eligible.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Published automatically" in html


# Returned visits -----------------------------------------------------------------------
def test_a_returned_visit_has_a_deadline_and_the_shopper_is_told(
    app, client, world, submit, session
):
    visit = submit()
    before = utcnow()
    review.return_visit(visit, "Thêm ảnh quầy", world.people.manager, visit.revision)
    deadline = visit.resubmit_by
    assert naive(before + 24 * HOURS) <= naive(deadline) <= naive(utcnow() + 24 * HOURS)
    [row] = sent(session, world.people.shopper, "visit_returned")
    assert row.context["comments"] == "Thêm ảnh quầy" and row.link == f"/visits/{visit.id}"
    assert row.context["resubmit_by"].startswith(naive(deadline).isoformat()[:16])
    message = render_message(app, row, "vi")
    assert "Thêm ảnh quầy" in message["text"] and "gửi lại trước" in message["html"]
    login(client, world.people.shopper)
    for url in (f"/visits/{visit.id}", "/"):
        html = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Send it again by" in html


def test_not_resubmitted_in_time_goes_back_to_review_once(client, world, submit, session):
    visit = submit()
    review.return_visit(visit, "Thêm ảnh quầy", world.people.manager, visit.revision)
    assert service_levels.return_expired_to_review(utcnow() + 23 * HOURS) == 0
    later = utcnow() + 25 * HOURS
    assert service_levels.return_expired_to_review(later) == 1
    assert service_levels.return_expired_to_review(later + HOURS) == 0
    session.refresh(visit)
    assert visit.status == "submitted" and visit.resubmit_expired_at is not None
    assert "not_resubmitted" in review_flags(visit)
    entry = session.scalars(
        select(AuditLog)
        .where(AuditLog.entity_id == visit.id, AuditLog.action == "status")
        .order_by(AuditLog.id.desc())
    ).first()
    assert (entry.new_value, entry.actor_id) == ("submitted", None)
    assert entry.reason.startswith("not resubmitted in time")
    login(client, world.people.manager)
    html = client.get(f"/review/{visit.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "Not resubmitted in time" in html
    # A visit back from an expired deadline waits for a reviewer, never published unseen.
    world.a.brand.auto_publish_after_hours = 1
    visit.submitted_at = utcnow() - 5 * HOURS
    session.commit()
    assert service_levels.publish_unreviewed(utcnow()) == 0


def test_a_visit_resubmitted_in_time_is_left_alone(world, submit, session):
    visit = submit()
    review.return_visit(visit, "Thêm ảnh quầy", world.people.manager, visit.revision)
    operations.submit(visit, world.people.shopper)
    assert service_levels.return_expired_to_review(utcnow() + 48 * HOURS) == 0
    assert visit.resubmit_expired_at is None
