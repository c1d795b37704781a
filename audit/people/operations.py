"""Creating and changing people's accounts: one set of rules for the People pages and the
`flask users` commands (a unique e-mail whatever its case, a manager's brand, an owner's
franchisee, the password policy). Every change is written to the audit log; nobody is ever
deleted, since visits, reviews and the log name people: an account is deactivated.

Setting someone's password is `audit.auth.operations.change_password` and lifting a
lockout `audit.auth.lockout.unlock`, the same functions the account page and the log-in
use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from audit.auth.operations import revoke_tokens
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.orgs import Brand, Franchisee

BAD_EMAIL, DUPLICATE_EMAIL = "bad_email", "duplicate_email"
NEEDS_BRAND, NEEDS_FRANCHISEE = "needs_brand", "needs_franchisee"
SELF_DEACTIVATION = "self_deactivation"
SNAPSHOT = ("email", "name", "role", "locale", "brand_id", "franchisee_id", "active")


class PersonError(ValueError):
    """A rule refused the change; `field` names the form field it is about."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field, self.problem = field, problem


@dataclass
class NewPerson:
    email: str
    name: str
    role: str
    password: str
    locale: str | None = None
    brand: Brand | None = None
    franchisee: Franchisee | None = None


@dataclass
class PersonChanges:
    name: str
    locale: str | None
    active: bool
    brand: Brand | None = None
    franchisee: Franchisee | None = None
    email: str | None = None  # None: unchanged


def normalised_email(email: str) -> str:
    return (email or "").strip().lower()


def plausible_email(email: str) -> bool:
    """A sanity check against typing slips (one @, a dotted domain, no spaces), not RFC
    validation: the address proves itself when its owner logs in."""
    local, at, domain = email.rpartition("@")
    return bool(at and local and "@" not in local and "." in domain.strip(".")
                and not domain.startswith(".") and not domain.endswith(".")
                and not any(c.isspace() for c in email))


def email_taken(email: str, but: User | None = None) -> bool:
    """Another account than `but` has this address, in any case ("An@x.vn" is "an@x.vn")."""
    query = select(User.id).where(func.lower(User.email) == normalised_email(email))
    if but is not None:
        query = query.where(User.id != but.id)
    return db.session.scalar(query) is not None


def _new_email(person: User, email: str | None) -> str:
    """The address the account will have: a typing slip or another account's address is
    refused (PersonError) before anything changes."""
    if email is None or normalised_email(email) == person.email:
        return person.email
    email = normalised_email(email)
    if not plausible_email(email):
        raise PersonError("email", BAD_EMAIL)
    if email_taken(email, but=person):
        raise PersonError("email", DUPLICATE_EMAIL)
    return email


def _organisation(role: str, brand: Brand | None,
                  franchisee: Franchisee | None) -> tuple[Brand | None, Franchisee | None]:
    """What the role belongs to: a manager a brand, an owner a franchisee, others nothing."""
    if role == "quality_manager":
        if brand is None:
            raise PersonError("brand", NEEDS_BRAND)
        return brand, None
    if role == "franchise_owner":
        if franchisee is None:
            raise PersonError("franchisee", NEEDS_FRANCHISEE)
        return None, franchisee
    return None, None


def new_person_problems(new: NewPerson) -> list[PersonError]:
    """Every objection to the account but the password's (the form shows them all at once;
    `create_person` refuses on the first)."""
    problems = []
    email = normalised_email(new.email)
    if not plausible_email(email):
        problems.append(PersonError("email", BAD_EMAIL))
    elif email_taken(email):
        problems.append(PersonError("email", DUPLICATE_EMAIL))
    try:
        _organisation(new.role, new.brand, new.franchisee)
    except PersonError as missing:
        problems.append(missing)
    return problems


def snapshot(person: User) -> dict[str, Any]:
    return {name: getattr(person, name) for name in SNAPSHOT}


def create_person(new: NewPerson, actor: User | None) -> User:
    """Create an account; every rule is checked before anything is added (PersonError,
    WeakPasswordError), so a refusal saves nothing."""
    problems = new_person_problems(new)
    if problems:
        raise problems[0]
    brand, franchisee = _organisation(new.role, new.brand, new.franchisee)
    person = User(email=normalised_email(new.email), name=new.name.strip(), role=new.role,
                  locale=new.locale, brand=brand, franchisee=franchisee)
    person.set_password(new.password)
    db.session.add(person)
    try:
        db.session.flush()
    except IntegrityError:  # the same address created at the same moment
        db.session.rollback()
        raise PersonError("email", DUPLICATE_EMAIL) from None
    record(actor, "user", person.id, "create", new=snapshot(person))
    db.session.commit()
    return person


def update_person(person: User, changes: PersonChanges, actor: User | None) -> bool:
    """Change e-mail, name, language, brand or franchisee (as the role needs) and the active
    flag. The e-mail is the log-in name, not a credential: changing it keeps the person's
    sessions and password. Deactivating ends the person's log-ins and revokes their API
    tokens; nobody deactivates themselves. True when something changed."""
    if actor is not None and actor.id == person.id and not changes.active:
        raise PersonError("active", SELF_DEACTIVATION)
    brand, franchisee = _organisation(person.role, changes.brand, changes.franchisee)
    email = _new_email(person, changes.email)
    old = snapshot(person)
    person.email, person.name, person.locale = email, changes.name.strip(), changes.locale
    person.active, person.brand, person.franchisee = changes.active, brand, franchisee
    try:
        db.session.flush()
    except IntegrityError:  # the same address given to another account at the same moment
        db.session.rollback()
        raise PersonError("email", DUPLICATE_EMAIL) from None
    new = snapshot(person)
    if new == old:
        return False
    record(actor, "user", person.id, "update", old=old, new=new)
    if old["active"] and not new["active"]:
        record(actor, "user", person.id, "deactivated", field="active", old=True, new=False,
               reason=f"{revoke_tokens(person)} API tokens revoked")
    elif new["active"] and not old["active"]:
        record(actor, "user", person.id, "reactivated", field="active", old=False, new=True)
    db.session.commit()
    return True
