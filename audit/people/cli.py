"""`flask users create`, `set-password` and `unlock`: accounts from the command line, under
the same password policy as the pages (and, for a new password, the same consequences)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import func, select

from audit.auth import lockout
from audit.auth.messages import password_message
from audit.auth.operations import change_password
from audit.core.passwords import WeakPasswordError
from audit.extensions import db
from audit.models.auth import ROLES, User
from audit.models.orgs import Brand, Franchisee
from audit.people.messages import person_message
from audit.people.operations import (
    NEEDS_BRAND,
    NEEDS_FRANCHISEE,
    NewPerson,
    PersonError,
    create_person,
)

users_cli = AppGroup("users", help="User accounts.")
LANG = click.option("--lang", type=click.Choice(["en", "vi"]), default="en", show_default=True,
                    help="Language of the messages.")


def _user(email: str) -> User:
    user = db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    return user


def _refused(problems: list[str], lang: str) -> click.ClickException:
    with force_locale(lang):
        return click.ClickException(password_message(problems[0]))


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--brand", "brand_code", help="Brand code (a quality manager's brand).")
@click.option("--franchisee", "franchisee_name", help="Franchisee name (a franchise owner's).")
@click.option("--language", "locale", type=click.Choice(["vi", "en"]),
              help="The person's interface language.")
@click.password_option(help="Asked for when not given (hidden, twice).")
@LANG
def create(email: str, name: str, role: str, brand_code: str | None,
           franchisee_name: str | None, locale: str | None, password: str, lang: str) -> None:
    """Create an account (the same rules as the People page)."""
    brand = franchisee = None
    if brand_code:
        brand = db.session.scalars(select(Brand).where(Brand.code == brand_code)).first()
        if brand is None:
            raise click.ClickException(f"No brand with the code {brand_code}.")
    if franchisee_name:
        query = select(Franchisee).where(Franchisee.name == franchisee_name)
        if brand is not None:
            query = query.where(Franchisee.brand_id == brand.id)
        found = db.session.scalars(query).all()
        if len(found) != 1:
            raise click.ClickException(
                f"No franchisee named {franchisee_name}." if not found
                else f"Several franchisees are named {franchisee_name}; add --brand.")
        franchisee = found[0]
    new = NewPerson(email=email, name=name, role=role, password=password, locale=locale,
                    brand=brand, franchisee=franchisee)
    try:
        person = create_person(new, None)
    except WeakPasswordError as weak:
        raise _refused(weak.problems, lang) from None
    except PersonError as refused:
        if refused.problem == NEEDS_BRAND:
            raise click.UsageError("A quality manager needs --brand.") from None
        if refused.problem == NEEDS_FRANCHISEE:
            raise click.UsageError("A franchise owner needs --franchisee.") from None
        with force_locale(lang):
            raise click.ClickException(person_message(refused.problem)) from None
    click.echo(f"Created {role} {person.email}.")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option(help="Asked for when not given (hidden, twice).")
@LANG
def set_password(email: str, password: str, lang: str) -> None:
    """Set a user's password (revokes their API tokens and lifts a lockout)."""
    user = _user(email)
    try:
        change_password(user, password, None)
    except WeakPasswordError as weak:
        raise _refused(weak.problems, lang) from None
    click.echo(f"Password set for {user.email}.")


@users_cli.command("unlock")
@click.argument("email")
def unlock(email: str) -> None:
    """Lift a lockout after failed log-ins before it ends."""
    user = _user(email)
    lockout.unlock(user, None)
    click.echo(f"Unlocked {user.email}.")
