"""Creating, changing and deleting targets; each change is written to the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Branch, Brand, Region
from audit.models.targets import METRICS, SCOPES, Target


class OutOfBrand(LookupError):
    """The region or branch is not the brand's (a forged id): answer 404."""


def _check(brand: Brand, data: dict[str, Any]) -> None:
    """Refuse a scope outside the brand, whatever the form let through."""
    if data["scope"] not in SCOPES or data["metric"] not in METRICS:
        raise ValueError(data)
    if not 0 <= data["value"] <= 100:
        raise ValueError(data["value"])
    model, ident = {"region": (Region, data["region_id"]),
                    "branch": (Branch, data["branch_id"])}.get(data["scope"], (None, None))
    if model is not None and db.session.scalar(
            select(model.id).where(model.id == ident, model.brand_id == brand.id)) is None:
        raise OutOfBrand(ident)


def create_target(brand: Brand, data: dict[str, Any], actor: User) -> Target:
    _check(brand, data)
    target = Target(brand=brand, created_by=actor, **data)
    db.session.add(target)
    db.session.flush()
    record(actor, "target", target.id, "create", new=target.snapshot())
    db.session.commit()
    return target


def update_target(target: Target, data: dict[str, Any], actor: User) -> Target:
    _check(target.brand, data)
    old = target.snapshot()
    for name, value in data.items():
        setattr(target, name, value)
    if target.snapshot() != old:
        record(actor, "target", target.id, "update", old=old, new=target.snapshot())
    db.session.commit()
    return target


def delete_target(target: Target, actor: User) -> None:
    record(actor, "target", target.id, "delete", old=target.snapshot())
    db.session.delete(target)
    db.session.commit()
