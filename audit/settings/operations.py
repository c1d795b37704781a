"""Changing a brand's scoring settings, and rescoring stored visits only when asked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.orgs import Brand
from audit.models.visits import Answer, Visit
from audit.visits import scores
from audit.vocabulary import DIMENSIONS


def save_settings(brand: Brand, weights: dict[str, int], policy: str, actor: User) -> None:
    """Store new weights and default policy; stored scores keep the basis they had."""
    old = {**brand.servqual_weights, "critical_policy": brand.critical_policy}
    for dimension in DIMENSIONS:
        setattr(brand, f"weight_{dimension}", weights[dimension])
    brand.critical_policy = policy
    new = {**brand.servqual_weights, "critical_policy": brand.critical_policy}
    if new != old:
        record(actor, "brand", brand.id, "settings", old=old, new=new)
    db.session.commit()


PRIVACY_FIELDS = ("retention_months", "capture_staff_names", "allow_call_recordings")


def save_privacy(brand: Brand, values: dict[str, Any], actor: User) -> None:
    """Store the data-protection settings; a change is written to the audit log."""
    old = {name: getattr(brand, name) for name in PRIVACY_FIELDS}
    new = {"retention_months": int(values.get("retention_months") or 0),
           "capture_staff_names": bool(values.get("capture_staff_names")),
           "allow_call_recordings": bool(values.get("allow_call_recordings"))}
    if new != old:
        for name, value in new.items():
            setattr(brand, name, value)
        record(actor, "brand", brand.id, "privacy_settings", old=old, new=new)
    db.session.commit()


SERVICE_LEVEL_FIELDS = ("review_within_hours", "auto_publish_after_hours",
                        "resubmit_within_hours")


def save_service_levels(brand: Brand, values: dict[str, Any], actor: User) -> None:
    """Store the brand's service levels (already validated); a change is in the audit log
    and moves the deadlines of visits already waiting, which are computed from them."""
    old = {name: getattr(brand, name) for name in SERVICE_LEVEL_FIELDS}
    new = {name: values.get(name) for name in SERVICE_LEVEL_FIELDS}
    if new != old:
        for name, value in new.items():
            setattr(brand, name, value)
        record(actor, "brand", brand.id, "service_levels", old=old, new=new)
    db.session.commit()


def rescore_campaign(campaign: Campaign, actor: User) -> int:
    """Recompute the stored scores of the campaign's scored visits with today's settings
    (DESIGN.md §4: history changes only when a manager asks); returns how many changed."""
    visits = db.session.scalars(
        select(Visit).where(Visit.campaign_id == campaign.id, Visit.scored_at.is_not(None))
        .options(selectinload(Visit.answers).selectinload(Answer.question))
    ).all()
    changed = 0
    for visit in visits:
        before = (visit.score_overall, visit.servqual_index, visit.critical_fail)
        scores.store(visit)
        changed += before != (visit.score_overall, visit.servqual_index, visit.critical_fail)
    record(actor, "campaign", campaign.id, "rescore", new={"visits": len(visits),
                                                            "changed": changed})
    db.session.commit()
    return changed
