"""Changes to a brand's organisation: branches, regions, franchisees and the CSV import.

Every change is written to the audit log. The import applies a file that was checked
whole (`csv_import.parse`) in one transaction: all rows or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Branch, Brand, Franchisee, Region
from audit.models.visits import Visit

BRANCH_FIELDS = ("code", "name", "region_id", "franchisee_id", "address", "latitude",
                 "longitude", "timezone", "active")


class DuplicateCode(Exception):
    """Another branch of the brand has this code."""


class DuplicateName(Exception):
    """Another region (or franchisee) of the brand has this name."""


class HasVisits(Exception):
    """A branch with visits keeps its history: deactivate it instead."""


def _snapshot(branch: Branch) -> dict[str, Any]:
    return {name: getattr(branch, name) for name in BRANCH_FIELDS}


def _code_taken(brand: Brand, code: str, branch: Branch | None) -> bool:
    query = select(Branch.id).where(Branch.brand_id == brand.id,
                                    func.lower(Branch.code) == code.lower())
    if branch is not None and branch.id is not None:
        query = query.where(Branch.id != branch.id)
    return db.session.scalar(query) is not None


def save_branch(brand: Brand, branch: Branch | None, data: dict[str, Any], actor: User) -> Branch:
    """Create (`branch` None) or update a branch of `brand`; codes are unique per brand
    (checked before anything changes, so a refusal leaves the session clean)."""
    if _code_taken(brand, data["code"], branch):
        raise DuplicateCode(data["code"])
    old = None if branch is None else _snapshot(branch)
    if branch is None:
        branch = Branch(brand=brand)
        db.session.add(branch)
    for name in BRANCH_FIELDS:
        setattr(branch, name, data[name])
    db.session.flush()
    new = _snapshot(branch)
    if new != old:
        record(actor, "branch", branch.id, "create" if old is None else "update", old=old,
               new=new)
    db.session.commit()
    return branch


def delete_branch(branch: Branch, actor: User) -> None:
    """Delete a branch that never had a visit; one with visits keeps its history."""
    if db.session.scalar(select(Visit.id).where(Visit.branch_id == branch.id).limit(1)):
        raise HasVisits(branch.code)
    record(actor, "branch", branch.id, "delete", old=_snapshot(branch))
    db.session.delete(branch)
    db.session.commit()


def _name_taken(model: type, brand: Brand, name: str, current: Any) -> bool:
    query = select(model.id).where(model.brand_id == brand.id,
                                   func.lower(model.name) == name.lower())
    if current is not None:
        query = query.where(model.id != current.id)
    return db.session.scalar(query) is not None


def save_group(model: type[Region] | type[Franchisee], brand: Brand, row: Any, name: str,
               actor: User) -> Region | Franchisee:
    """Create or rename a region or a franchisee; names are unique per brand."""
    name = name.strip()
    if _name_taken(model, brand, name, row):
        raise DuplicateName(name)
    entity = model.__tablename__[:-1]
    if row is None:
        row = model(brand=brand, name=name)
        db.session.add(row)
        db.session.flush()
        record(actor, entity, row.id, "create", new={"name": name})
    elif row.name != name:
        record(actor, entity, row.id, "rename", field="name", old=row.name, new=name)
        row.name = name
    db.session.commit()
    return row


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    regions_created: int = 0
    franchisees_created: int = 0


def _by_name(model: type, brand: Brand) -> dict[str, Any]:
    rows = db.session.scalars(select(model).where(model.brand_id == brand.id))
    return {row.name.casefold(): row for row in rows}


def import_branches(brand: Brand, rows: list[dict[str, Any]], actor: User) -> ImportResult:
    """Apply checked rows: existing codes are updated, new ones created; regions and
    franchisees named in the file are created when new. One commit, or nothing."""
    result = ImportResult()
    regions, franchisees = _by_name(Region, brand), _by_name(Franchisee, brand)
    branches = {b.code.casefold(): b for b in
                db.session.scalars(select(Branch).where(Branch.brand_id == brand.id))}
    changes: list[tuple[Branch, dict[str, Any] | None]] = []
    try:
        for row in rows:
            region = regions.get(row["region"].casefold())
            if region is None:
                region = regions[row["region"].casefold()] = Region(brand=brand,
                                                                    name=row["region"])
                result.regions_created += 1
            franchisee = None
            if row["franchisee"]:
                franchisee = franchisees.get(row["franchisee"].casefold())
                if franchisee is None:
                    franchisee = Franchisee(brand=brand, name=row["franchisee"])
                    franchisees[row["franchisee"].casefold()] = franchisee
                    result.franchisees_created += 1
            branch = branches.get(row["code"].casefold())
            old = None if branch is None else _snapshot(branch)
            if branch is None:
                branch = Branch(brand=brand, code=row["code"])
                db.session.add(branch)
            branch.region, branch.franchisee = region, franchisee
            for name in ("name", "address", "latitude", "longitude", "timezone", "active"):
                setattr(branch, name, row[name])
            changes.append((branch, old))
        db.session.flush()  # once, for the ids of new branches, regions and franchisees
        for branch, old in changes:
            new = _snapshot(branch)
            if old is None:
                result.created += 1
            elif new != old:
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            record(actor, "branch", branch.id, "import", old=old, new=new)
        record(actor, "brand", brand.id, "import_branches", new=result.__dict__)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
