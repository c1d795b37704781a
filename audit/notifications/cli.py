"""`flask --app wsgi.py jobs tick`: run the scheduled tick once (reminders, deadlines,
report expiry, due e-mails and retries, digests), for a cron line such as
`* * * * * cd /srv/audit && .venv/bin/flask --app wsgi.py jobs tick`. Safe beside the app's
own timer threads and a second cron machine: the lease lets one of them work per period."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from audit.notifications.tick import run_tick

jobs_cli = AppGroup("jobs", help="Scheduled work: the periodic tick.")


@jobs_cli.command("tick")
@click.option(
    "--now",
    "moment",
    default=None,
    help="Run as at this ISO moment with a zone (tests, catching up).",
)
def tick_command(moment: str | None) -> None:
    """Run the tick once, if no other process holds this period's lease."""
    now = datetime.fromisoformat(moment) if moment else None
    if now is not None and now.tzinfo is None:
        raise click.BadParameter(
            "give the zone, e.g. 2026-12-07T07:00:00+07:00", param_hint="--now"
        )
    done = run_tick(now)
    if done is None:
        click.echo("tick: another process holds this period's lease; nothing done")
        return
    click.echo("tick: " + ", ".join(f"{name} {count}" for name, count in done.items()))
