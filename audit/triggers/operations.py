"""Adding, changing, pausing and removing a brand's score-trigger rules, each change in the
audit log."""

from __future__ import annotations

from typing import Any

from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Brand
from audit.models.triggers import ScoreTrigger
from audit.vocabulary import TRIGGER_DIMENSION_CONDITIONS, TRIGGER_THRESHOLD_CONDITIONS


def _apply(rule: ScoreTrigger, values: dict[str, Any]) -> None:
    """Copy a validated form onto a rule; fields its condition does not use are left empty,
    so the rule reads as what it does."""
    condition = values["condition"]
    threshold = values.get("threshold")
    rule.condition = condition
    rule.threshold = float(threshold) if condition in TRIGGER_THRESHOLD_CONDITIONS else None
    rule.dimension = values.get("dimension") if condition in TRIGGER_DIMENSION_CONDITIONS else None
    rule.region_id = values.get("region")
    rule.tell_managers = bool(values.get("tell_managers"))
    rule.tell_owners = bool(values.get("tell_owners"))
    rule.attach_pdf = bool(values.get("attach_pdf"))


def add_rule(brand: Brand, values: dict[str, Any], actor: User) -> ScoreTrigger:
    """Store a validated rule."""
    rule = ScoreTrigger(brand=brand, created_by=actor)
    _apply(rule, values)
    db.session.add(rule)
    db.session.flush()
    record(actor, "score_trigger", rule.id, "create", new=rule.snapshot())
    db.session.commit()
    return rule


def update_rule(rule: ScoreTrigger, values: dict[str, Any], actor: User) -> None:
    """Change a rule in place. It keeps its id, so a person it already told about a visit
    is not told again about that visit under the new condition."""
    before = rule.snapshot()
    _apply(rule, values)
    db.session.flush()
    if rule.snapshot() != before:
        record(actor, "score_trigger", rule.id, "update", old=before, new=rule.snapshot())
    db.session.commit()


def set_active(rule: ScoreTrigger, active: bool, actor: User) -> None:
    """Pause or resume a rule (a paused one fires for no visit)."""
    if rule.active != active:
        record(
            actor, "score_trigger", rule.id, "active", field="active", old=rule.active, new=active
        )
        rule.active = active
    db.session.commit()


def delete_rule(rule: ScoreTrigger, actor: User) -> None:
    """Remove a rule; messages it already sent stay with their readers."""
    record(actor, "score_trigger", rule.id, "delete", old=rule.snapshot())
    db.session.delete(rule)
    db.session.commit()
