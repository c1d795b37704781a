"""A few demo disputes and targets, added after the visits exist (a small, separate step)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.extensions import db
from audit.models.auth import User
from audit.models.disputes import Dispute
from audit.models.orgs import Branch, Brand, Region
from audit.models.targets import Target
from audit.models.visits import Answer, Visit

COMMENTS = (
    ("Camera cửa hàng cho thấy nhân viên đã làm đúng bước này, đề nghị xem lại.", None),
    ("Cửa hàng còn lưu phiếu tư vấn cho thấy khách đã được hỗ trợ đầy đủ.", None),
    ("Quản lý cửa hàng xác nhận nhân viên đã thực hiện, xin chấm lại câu này.", "rejected"),
)
REJECTION = "Ảnh và ghi chú của người khảo sát cho thấy câu trả lời là đúng; giữ nguyên."


def add_disputes_and_targets(brand: Brand, manager: User, owners: list[User],
                             today: date) -> None:
    """Owners dispute failed answers of published visits; the manager sets four targets."""
    now = datetime.now(UTC)
    for index, owner in enumerate(owners):
        visits = db.session.scalars(
            select(Visit).join(Visit.branch)
            .where(Branch.franchisee_id == owner.franchisee_id, Visit.is_published)
            .options(selectinload(Visit.answers).selectinload(Answer.question))
            .order_by((Visit.channel == "in_person").desc(), Visit.approved_at.desc())
            .limit(20)).all()
        picks = list(COMMENTS[index::2] if len(owners) > 1 else COMMENTS)
        for visit in visits:
            failed = [row.code for row in visit.score_record.questions
                      if row.scored and row.earned == 0]
            answer = next((a for a in visit.answers if a.question.code in failed), None)
            if answer is None or not picks:
                continue
            comment, status = picks.pop(0)
            opened = now - timedelta(days=6 - index * 2 - len(picks), hours=3)
            question = answer.question
            proposal = (not question.no_passes) if question.kind == "yes_no" else None
            dispute = Dispute(visit=visit, question=question, opened_by=owner,
                              comment=comment, proposed_value=proposal, opened_at=opened)
            if status:
                dispute.status, dispute.resolution_reason = status, REJECTION
                dispute.resolved_by, dispute.resolved_at = manager, opened + timedelta(days=1)
            db.session.add(dispute)

    regions = db.session.scalars(select(Region).where(Region.brand_id == brand.id)
                                 .order_by(Region.id)).all()
    branches = db.session.scalars(select(Branch).where(Branch.brand_id == brand.id)
                                  .order_by(Branch.code)).all()
    weakest = next((b for b in branches if b.code == "SG03"), branches[0])
    quarter_end = date(today.year, 3 * ((today.month - 1) // 3) + 3, 1) + timedelta(days=31)
    quarter_end = quarter_end.replace(day=1) - timedelta(days=1)
    db.session.add_all([
        Target(brand=brand, scope="brand", metric="overall", value=80, due_on=quarter_end,
               label="Điểm tổng 80 toàn chuỗi", created_by=manager),
        Target(brand=brand, scope="region", region=regions[0], metric="empathy", value=85,
               every_branch=True, due_on=quarter_end, created_by=manager,
               label="Đồng cảm ít nhất 85% ở mọi chi nhánh miền Bắc"),
        Target(brand=brand, scope="brand", metric="step_2", value=90,
               due_on=today - timedelta(days=100), created_by=manager,
               label="Bước 2 – ghi nhận khách: 90 trước đợt 2"),
        Target(brand=brand, scope="branch", branch=weakest, metric="responsiveness",
               value=75, due_on=quarter_end, created_by=manager),
    ])
