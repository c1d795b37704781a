"""`flask demo load` and `flask demo logins`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from audit.demo import data
from audit.demo.generator import has_data, load


@click.group("demo", help="Demo data set.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has data.")
@click.option("--scale", type=click.IntRange(1, 100_000), default=None,
              help="Generate this many branches (a large data set for benchmarks).")
@click.option("--visits", type=click.IntRange(1, 10_000_000), default=None,
              help="With --scale: about this many visits in all.")
@click.option("--seed", type=int, default=2026, show_default=True)
@with_appcontext
def load_command(if_empty: bool, scale: int | None, visits: int | None, seed: int) -> None:
    """Load the demo brand, people, checklists, campaigns and visits."""
    if has_data():
        if if_empty:
            click.echo("Demo data already present; keeping it.")
            return
        raise click.ClickException("The database already has data; use a fresh database.")
    summary = load(scale=scale, visits=visits, seed=seed)
    click.echo(
        f"Loaded {summary.branches} branches, {summary.visits} visits, "
        f"{summary.answers} answers, {summary.photos} photos."
    )


@demo_cli.command("logins")
def logins_command() -> None:
    """Print one demo login per role."""
    click.echo(f"Demo logins (password for all: {data.PASSWORD})")
    rows = [("admin", data.ADMIN[0]), ("quality manager", data.MANAGER[0]),
            ("franchise owner", data.OWNERS[0][0]), ("shopper", data.SHOPPERS[0][0])]
    for role, email in rows:
        click.echo(f"  {role:<16} {email}")
