"""Corrective actions in the demo data set, made by the same operations as in real use."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from audit import access
from audit.actions.operations import (
    ENTITY,
    as_utc,
    passed,
    raise_for_critical_fails,
    verify_by_visit,
)
from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.actions import ActionComment, CorrectiveAction, default_due
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.visits import Visit

# Actions a manager raised by hand on the latest published visits, at every stage of work:
# (severity, title, status, days since raised, the owner's or manager's note).
BY_HAND = (
    ("major", "Đào tạo lại cả ca về tiêu chuẩn này; quản lý chi nhánh kiểm tra ngẫu nhiên "
     "mỗi tuần.", "open", 20, None),
    ("minor", "Nhắc lại tiêu chuẩn trong buổi họp đầu ca.", "in_progress", 6,
     "Đã họp nhắc toàn bộ nhân viên ca sáng; ca chiều họp vào thứ Sáu."),
    ("minor", "Cập nhật kịch bản và dán hướng dẫn tại quầy.", "done", 12,
     "Đã cập nhật kịch bản và dán hướng dẫn mới tại quầy."),
    ("major", "Quản lý khu vực rà soát quy trình với trưởng chi nhánh.", "open", 2, None),
)


def replay_published(actor: User) -> int:
    """Publish the demo's approved visits again in visit order: critical fails raise
    actions (dated at approval), later passing visits verify them; then a few actions a
    manager raised by hand. Returns how many actions exist."""
    visits = db.session.scalars(select(Visit).where(Visit.is_published).order_by(
        Visit.visited_at, Visit.id)).all()
    for visit in visits:
        raise_for_critical_fails(visit, actor, as_utc(visit.approved_at))
        verify_by_visit(visit, actor, as_utc(visit.approved_at))
    _raise_by_hand(list(reversed(visits)), actor)
    db.session.flush()
    return len(db.session.scalars(select(CorrectiveAction.id)).all())


def _raise_by_hand(latest_first: list[Visit], actor: User) -> None:
    used: set[int] = set()
    plans = iter(BY_HAND)
    plan = next(plans)
    for visit in latest_first:
        if plan is None:
            return
        if visit.branch_id in used:
            continue
        row = next((r for r in visit.score_record.questions if r.failed), None)
        question = next((q for q in visit.checklist_version.ordered_questions()
                         if row and q.code == row.code), None)
        if question is None or question.critical or _passed_later(visit, question.code,
                                                                   latest_first):
            continue
        severity, description, status, age, note = plan
        raised_at = _now() - timedelta(days=age)
        approved = as_utc(visit.approved_at)
        if approved is None or approved > raised_at:
            continue  # raised after the visit was published, never before
        used.add(visit.branch_id)
        plan = next(plans, None)
        action = CorrectiveAction(
            brand_id=visit.branch.brand_id, branch=visit.branch, visit=visit,
            question=question, question_code=question.code, title="",
            description=description, severity=severity,
            status=status, origin="manual", created_by=actor, created_at=raised_at,
            due_on=default_due(severity, raised_at.date()),
            done_at=_now() if status == "done" else None)
        db.session.add(action)
        db.session.flush()
        record(actor, ENTITY, action.id, "create", new={"question": question.code})
        if note:
            action.comments.append(ActionComment(author=_branch_side(visit, actor), text=note))


def _passed_later(visit: Visit, code: str, visits: list[Visit]) -> bool:
    """A later published visit of the branch passed the question (it would verify)."""
    return any(other.branch_id == visit.branch_id and other.visited_at and visit.visited_at
               and other.visited_at > visit.visited_at
               and passed(other.score_record.question(code))
               for other in visits)


def _now():
    return utcnow()


def _branch_side(visit: Visit, actor: User) -> User:
    """The owner of the visit's branch when it is franchised, else the manager."""
    owner = db.session.scalar(access.franchise_owners_query(visit.branch.franchisee_id))
    return owner if visit.branch.franchisee_id and owner else actor
