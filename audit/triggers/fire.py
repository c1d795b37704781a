"""Announcing score triggers: when a visit is submitted, the brand's quality managers hear
of the rules it sets off; when it is published, the branch's franchise owners do too
(an owner sees only published visits). Each person hears of one rule and one visit once
(dedupe key per rule and visit), however often the visit is scored again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from audit.access import brand_managers_query, franchise_owners_query
from audit.extensions import db
from audit.models.auth import User
from audit.models.targets import Target
from audit.models.triggers import ScoreTrigger
from audit.models.visits import Visit
from audit.notifications import Attachment, notify
from audit.scoring.triggers import Firing, Rule, fired
from audit.vocabulary import DIMENSIONS

log = logging.getLogger(__name__)

# The more specific a target's scope, the more it says about one branch.
_SPECIFIC = {"branch": 0, "region": 1, "brand": 2}


def branch_targets(visit: Visit) -> dict[str, float]:
    """Dimension -> the target that holds for the visit's branch: the most specific scope
    (branch, then region, then brand), and of those the latest due date."""
    branch = visit.branch
    rows = db.session.scalars(
        select(Target).where(
            Target.brand_id == branch.brand_id,
            Target.metric.in_(DIMENSIONS),
            or_(
                Target.scope == "brand",
                (Target.scope == "region") & (Target.region_id == branch.region_id),
                (Target.scope == "branch") & (Target.branch_id == branch.id),
            ),
        )
    ).all()
    rows = sorted(rows, key=lambda t: (_SPECIFIC[t.scope], -t.due_on.toordinal()))
    chosen: dict[str, float] = {}
    for target in rows:
        chosen.setdefault(target.metric, target.value)
    return chosen


def firings(visit: Visit) -> list[tuple[ScoreTrigger, Firing]]:
    """The brand's active rules the visit's stored scores set off."""
    rows = db.session.scalars(
        select(ScoreTrigger)
        .where(ScoreTrigger.brand_id == visit.branch.brand_id, ScoreTrigger.active.is_(True))
        .order_by(ScoreTrigger.id)
    ).all()
    if not rows:
        return []
    by_id = {row.id: row for row in rows}
    rules = [
        Rule(row.id, row.condition, row.threshold, row.dimension, row.region_id) for row in rows
    ]
    targets = (
        branch_targets(visit) if any(r.condition == "dimension_below_target" for r in rules) else {}
    )
    found = fired(visit.score_record, rules, targets, visit.branch.region_id)
    return [(by_id[f.rule.id], f) for f in found]


def context(visit: Visit, rule: ScoreTrigger, firing: Firing, stage: str) -> dict[str, Any]:
    """What the message shows: the branch, the campaign, the figures under their limits.
    Never the shopper: an owner reads the same context."""
    return {
        "visit_id": visit.id,
        "stage": stage,
        "branch": visit.branch.name,
        "branch_code": visit.branch.code,
        "campaign": visit.campaign.name,
        "visited_on": visit.visited_on.isoformat() if visit.visited_on else None,
        "overall": visit.score_overall,
        "critical_fail": bool(visit.critical_fail),
        "condition": rule.condition,
        "threshold": rule.threshold,
        "dimension": rule.dimension,
        "shortfalls": [
            {"metric": s.metric, "score": s.score, "limit": s.limit, "codes": list(s.codes)}
            for s in firing.shortfalls
        ],
    }


def _announce(
    visit: Visit, people: list[User], rule: ScoreTrigger, firing: Firing, stage: str, link: str
) -> int:
    sent = 0
    for person in people:
        row = notify(
            person,
            "score_alert",
            context=context(visit, rule, firing, stage),
            link=link,
            attachment=Attachment("visit_pdf", visit.id) if rule.attach_pdf else None,
            dedupe_key=f"trigger:{rule.id}:visit:{visit.id}",
        )
        sent += row is not None
    return sent


def on_submitted(visit: Visit) -> int:
    """Tell the brand's quality managers of the rules a just-submitted visit sets off
    (in the caller's transaction); returns how many messages were written."""
    found = firings(visit)
    if not found:
        return 0
    managers = db.session.scalars(brand_managers_query(visit.branch.brand_id)).all()
    return sum(
        _announce(visit, list(managers), rule, firing, "submitted", f"/review/{visit.id}")
        for rule, firing in found
        if rule.tell_managers
    )


def on_published(visit: Visit) -> int:
    """Tell managers (of rules its final scores now set off) and the branch's franchise
    owners of the rules a just-published visit sets off; returns the messages written."""
    found = firings(visit)
    if not found:
        return 0
    branch = visit.branch
    managers = db.session.scalars(brand_managers_query(branch.brand_id)).all()
    owners = (
        []
        if branch.franchisee_id is None
        else db.session.scalars(
            franchise_owners_query(branch.franchisee_id).where(User.active.is_(True))
        ).all()
    )
    sent = 0
    for rule, firing in found:
        if rule.tell_managers:
            sent += _announce(
                visit, list(managers), rule, firing, "published", f"/review/{visit.id}"
            )
        if rule.tell_owners:
            sent += _announce(
                visit, list(owners), rule, firing, "published", f"/portal/visits/{visit.id}"
            )
    return sent


def after_commit(announce: Callable[[Visit], int], visit: Visit) -> int:
    """Run `on_submitted`/`on_published` in its own transaction once the action committed:
    a failure here is logged and rolled back, never undoing or refusing the action."""
    try:
        sent = announce(visit)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the action stands whatever the announcement does
        db.session.rollback()
        log.exception("score triggers of visit %s not announced", visit.id)
        return 0
    return sent
