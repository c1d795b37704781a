"""The retention purge: photos and free text of old visits go, scores stay exactly."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from audit.comparison.service import branch_comparison
from audit.core.clock import utcnow
from audit.models.actions import ActionComment, ActionPhoto
from audit.models.auditlog import AuditLog
from audit.models.disputes import Dispute
from audit.models.reports import Report
from audit.models.visits import Answer, Photo, Visit
from audit.privacy import retention
from audit.storage import storage_for
from audit.visits import scores
from tests.privacy.conftest import COMMENT, STAFF_TEXT, snapshot
from tests.support import login


def purge_logs(session) -> list[AuditLog]:
    return session.scalars(select(AuditLog).where(AuditLog.action == "retention_purge")
                           .order_by(AuditLog.id)).all()


def test_purge_removes_photos_and_text_and_keeps_every_score(app, session, world, aged):
    old = aged(30)
    recent = aged(6, with_extras=False)
    visit = old.visit
    before = snapshot(visit)
    recent_before = snapshot(recent.visit)
    values = {a.question.code: (a.value, a.na) for a in visit.answers
              if a.question.kind != "text"}
    brand_before = branch_comparison(world.people.manager, world.campaign_a.id)
    storage = storage_for(current_app)
    keys = [old.photo.storage_key, old.photo.thumb_key, old.action_photo.storage_key,
            old.action_photo.thumb_key, old.report.storage_key]
    assert all(storage.exists(k) for k in keys)
    report_id = old.report.id

    [summary] = retention.purge()

    assert (summary.visits, summary.photos, summary.disputes, summary.action_comments,
            summary.action_photos, summary.reports) == (1, 1, 1, 1, 1, 1)
    assert summary.answers == 3  # the comments on P1.1 and P2.1, the STAFF text
    session.expire_all()
    visit = session.get(Visit, visit.id)
    assert snapshot(visit) == before  # stored scores: every column, exactly
    assert {a.question.code: (a.value, a.na) for a in visit.answers
            if a.question.kind != "text"} == values
    result, _basis = scores.compute(visit)  # and recomputing from what is left agrees
    assert (result.overall, result.servqual_index, result.critical_fail,
            dict(result.dimensions), dict(result.steps)) == (
        before["score_overall"], before["servqual_index"], before["critical_fail"],
        before["scores"]["dimensions"], before["scores"]["steps"])
    assert branch_comparison(world.people.manager, world.campaign_a.id) == brand_before
    assert visit.purged_at is not None
    assert (visit.narrative, visit.reviewer_comment, visit.staff_description) == ("", "", "")
    assert "staff_description" not in visit.facts and visit.facts["visited_on"] == "2024-01-05"
    assert all(a.comment == "" for a in visit.answers)
    assert next(a for a in visit.answers if a.question.code == "STAFF").value is None
    photo = session.get(Photo, old.photo.id)
    assert photo.purged_at is not None and photo.caption == ""
    assert not any(storage.exists(k) for k in keys)
    dispute = session.get(Dispute, old.dispute.id)
    assert (dispute.comment, dispute.resolution_reason, dispute.status) == ("", "", "rejected")
    assert session.scalar(select(ActionComment.text).where(
        ActionComment.action_id == old.action.id)) == ""
    assert session.get(ActionPhoto, old.action_photo.id).purged_at is not None
    assert session.get(Report, report_id) is None
    # Copies of the text in the log are gone too; the log keeps who did what.
    for entity, entity_id in (("visit", visit.id), ("dispute", old.dispute.id),
                              ("corrective_action", old.action.id)):
        entries = session.scalars(select(AuditLog).where(
            AuditLog.entity == entity, AuditLog.entity_id == entity_id)).all()
        assert entries and not any("Lan" in str((e.reason, e.old_value, e.new_value))
                                   for e in entries)
    # The visit six months old is untouched.
    session.refresh(recent.visit)
    assert recent.visit.purged_at is None and snapshot(recent.visit) == recent_before
    assert recent.visit.narrative and storage.exists(recent.photo.storage_key)
    [entry] = purge_logs(session)
    assert entry.actor_id is None and entry.entity_id == world.a.brand.id
    assert entry.new_value["visits"] == 1 and entry.new_value["retention_months"] == 24


def test_purge_again_changes_nothing_and_logs_nothing(session, aged):
    aged(30)
    retention.purge()
    [summary] = retention.purge()
    assert not summary.changed
    assert len(purge_logs(session)) == 1


def test_dry_run_counts_the_same_and_changes_nothing(session, aged):
    old = aged(30)
    now = utcnow()
    [dry] = retention.purge(now, dry_run=True)
    session.expire_all()
    visit = session.get(Visit, old.visit.id)
    assert visit.purged_at is None and visit.narrative
    assert storage_for(current_app).exists(old.photo.storage_key)
    assert purge_logs(session) == []
    [real] = retention.purge(now)
    assert dry.as_dict() == real.as_dict()


def test_retention_zero_keeps_everything(session, world, aged):
    old = aged(30)
    world.a.brand.retention_months = 0
    session.commit()
    assert retention.purge() == []
    session.refresh(old.visit)
    assert old.visit.purged_at is None


def test_an_open_dispute_holds_the_visit_back(session, world, aged):
    from audit.disputes import operations as disputes

    old = aged(30, with_extras=False)
    disputes.open_dispute(old.visit, "P1.4", "Xem lại", world.people.owner)
    [summary] = retention.purge()
    assert summary.visits == 0
    session.refresh(old.visit)
    assert old.visit.purged_at is None


def test_a_visit_claimed_by_another_process_is_skipped(session, aged):
    old = aged(30, with_extras=False)
    session.execute(Visit.__table__.update().where(Visit.id == old.visit.id)
                    .values(purged_at=func.now()))
    [summary] = retention.purge()
    assert summary.visits == 0  # the other run's claim stands; nothing is done twice
    assert storage_for(current_app).exists(old.photo.storage_key)


def test_pages_and_photo_routes_say_removed(client, session, world, aged):
    old = aged(30)
    retention.purge()
    login(client, world.people.owner)
    page = client.get(f"/portal/visits/{old.visit.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Photo removed under the retention policy" in page
    assert "removed under the retention policy on" in page
    assert f"/photos/{old.photo.id}/thumbnail" not in page
    assert STAFF_TEXT not in page and COMMENT not in page
    assert client.get(f"/photos/{old.photo.id}").status_code == 410
    vi = client.get(f"/portal/visits/{old.visit.id}",
                    headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Ảnh đã được xoá theo chính sách lưu giữ dữ liệu" in vi
    client.post("/logout")
    login(client, world.people.manager)
    review = client.get(f"/review/{old.visit.id}",
                        headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Photo removed under the retention policy" in review


def test_visit_pdf_shows_the_notice_not_the_photo(client, session, world, aged):
    from audit.reports.visit_report import visit_html

    old = aged(30, with_extras=False)
    retention.purge()
    html = visit_html(world.people.manager, old.visit.id, "en")
    assert "Photo removed under the retention policy" in html
    assert f"photo:{old.photo.id}" not in html
    assert "Photos and free text of this visit were removed" in html
    response = client.get(f"/reports/visits/{old.visit.id}.pdf?lang=vi")
    assert response.status_code in (302, 401)  # not logged in: the route is guarded
    login(client, world.people.manager)
    assert client.get(f"/reports/visits/{old.visit.id}.pdf?lang=vi").status_code == 200


def test_purge_command_prints_the_summary(app, session, aged):
    aged(30, with_extras=False)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would remove 1 visits' text, 1 photos" in dry.output
    real = runner.invoke(args=["privacy", "purge"])
    assert "removed 1 visits' text, 1 photos" in real.output
    again = runner.invoke(args=["privacy", "purge"])
    assert "removed 0 visits' text, 0 photos" in again.output
    assert session.scalar(select(func.count()).select_from(Answer).where(
        Answer.comment != "")) == 0
