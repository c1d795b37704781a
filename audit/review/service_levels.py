"""The brand's service levels, kept by the scheduled tick (issue 16): a submitted visit
waiting past its review deadline is escalated to the brand's quality managers; one waiting
past `auto_publish_after_hours` (when the brand turned it on) is published through the
reviewers' own `approve`; a returned visit its shopper did not send again in time goes
back to review with a note. Each task is safe to run twice: escalations are deduplicated
per visit and submission, and the other two change a visit's status, so a second run
finds nothing left to do."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from audit.access import brand_managers_query
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.campaigns import Campaign
from audit.models.orgs import Brand
from audit.models.visits import Visit
from audit.notifications import notify, periodic
from audit.review import operations
from audit.review.deadlines import aware, review_deadline
from audit.review.flags import review_flags
from audit.triggers import fire
from audit.visits import lifecycle
from audit.vocabulary import PUBLISHED, RETURNED, SUBMITTED

NOT_RESUBMITTED = "not resubmitted in time"


def _waiting(brand: Brand, since: datetime) -> list[Visit]:
    """The brand's submitted visits sent at or before `since`, oldest first."""
    return list(
        db.session.scalars(
            select(Visit)
            .join(Campaign)
            .where(
                Campaign.brand_id == brand.id,
                Visit.status == SUBMITTED,
                Visit.submitted_at <= since,
            )
            .order_by(Visit.submitted_at, Visit.id)
            .options(
                selectinload(Visit.branch),
                selectinload(Visit.answers),
                selectinload(Visit.photos),
                selectinload(Visit.check_in),
            )
        ).all()
    )


def _about(visit: Visit) -> dict:
    """The plain facts a manager's message shows (managers may see the shopper)."""
    return {
        "visit_id": visit.id,
        "branch": visit.branch.name,
        "branch_code": visit.branch.code,
        "campaign": visit.campaign.name,
        "shopper_name": visit.shopper.name if visit.shopper else None,
        "submitted_at": aware(visit.submitted_at).isoformat(),
        "overall": visit.score_overall,
    }


@periodic("review_overdue")
def escalate_overdue_reviews(now: datetime) -> int:
    """Tell the brand's quality managers, once per visit and submission, of each submitted
    visit past its review deadline; returns how many visits were escalated now."""
    escalated = 0
    for brand in db.session.scalars(select(Brand).order_by(Brand.id)).all():
        managers = db.session.scalars(brand_managers_query(brand.id)).all()
        if not managers:
            continue
        for visit in _waiting(brand, now - timedelta(hours=brand.review_within_hours)):
            deadline = review_deadline(visit, brand)
            context = {
                **_about(visit),
                "deadline": deadline.isoformat(),
                "hours": brand.review_within_hours,
            }
            key = f"visit:{visit.id}:review_due:{aware(visit.submitted_at):%Y%m%dT%H%M%S}"
            written = [
                notify(
                    m, "review_overdue", context=context, link=f"/review/{visit.id}", dedupe_key=key
                )
                for m in managers
            ]
            escalated += any(row is not None for row in written)
    db.session.commit()
    return escalated


def auto_publishable(visit: Visit) -> bool:
    """A visit the service level may publish unseen: nothing flagged for a reviewer (a
    critical fail is a flag, and so is a visit not resubmitted in time)."""
    return visit.status == SUBMITTED and not review_flags(visit)


@periodic("auto_publish")
def publish_unreviewed(now: datetime) -> int:
    """Publish, through the reviewers' `approve` (corrective actions, owners' messages and
    score triggers as for a manual publish), each unflagged visit of a brand with automatic
    publishing on that waited past its hours; returns how many were published."""
    published = 0
    brands = db.session.scalars(
        select(Brand).where(Brand.auto_publish_after_hours.is_not(None)).order_by(Brand.id)
    ).all()
    for brand in brands:
        hours = brand.auto_publish_after_hours
        for visit in _waiting(brand, now - timedelta(hours=hours)):
            if not auto_publishable(visit):
                continue
            reason = f"published automatically: not reviewed within {hours} h"
            visit.auto_published = True
            record(
                None,
                "visit",
                visit.id,
                "auto_publish",
                field="status",
                old=SUBMITTED,
                new=PUBLISHED,
                reason=reason,
            )
            try:
                operations.approve(visit, None, visit.revision, reason=reason)
            except (operations.ReviewConflict, lifecycle.IllegalTransition):
                db.session.rollback()  # a reviewer acted at the same moment: theirs stands
                continue
            published += 1
            context = {**_about(visit), "hours": hours}
            for manager in db.session.scalars(brand_managers_query(brand.id)).all():
                notify(
                    manager,
                    "visit_auto_published",
                    context=context,
                    link=f"/review/{visit.id}",
                    dedupe_key=f"visit:{visit.id}:auto",
                )
            db.session.commit()
    return published


@periodic("resubmit_expired")
def return_expired_to_review(now: datetime) -> int:
    """Send each returned visit whose resubmit deadline passed back to review as it stands,
    with the note "not resubmitted in time" for the reviewer; returns how many."""
    expired = db.session.scalars(
        select(Visit)
        .where(Visit.status == RETURNED, Visit.resubmit_by.is_not(None), Visit.resubmit_by <= now)
        .order_by(Visit.id)
    ).all()
    moved = 0
    for visit in expired:
        deadline = aware(visit.resubmit_by)
        lifecycle.move(
            visit, SUBMITTED, None, reason=f"{NOT_RESUBMITTED} (deadline {deadline.isoformat()})"
        )
        visit.resubmit_expired_at = now
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()  # the shopper sent it at the same moment: theirs stands
            continue
        moved += 1
        fire.after_commit(fire.on_submitted, visit)
    return moved
