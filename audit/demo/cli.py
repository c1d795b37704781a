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
    """Print every demo account with its role and what it is for."""
    click.echo(f"Demo logins (password for all: {data.PASSWORD})")
    click.echo(f"  {'admin':<16} {data.ADMIN[0]:<30} people, every brand")
    click.echo(f"  {'quality manager':<16} {data.MANAGER[0]:<30} review, compare, reports")
    for email, _name in data.OWNERS:
        click.echo(f"  {'franchise owner':<16} {email:<30} own branches, PDFs")
    for email, _name in data.SHOPPERS:
        click.echo(f"  {'shopper':<16} {email:<30} visits (open on a phone)")
