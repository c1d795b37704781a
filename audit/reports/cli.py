"""`flask reports worker`: work the RQ queues of reports and e-mails (needs REDIS_URL)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from audit.core import background
from audit.extensions import db
from audit.reports import jobs

reports_cli = AppGroup("reports", help="Report library jobs.")


@reports_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Work report and e-mail jobs from the Redis queues; run several for more throughput."""
    from rq import Worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.UsageError("Set REDIS_URL to use the job queue worker.")
    db.engine.dispose()  # each forked job opens its own connections
    queue = jobs.queue(app)
    mail = background.queue(app, app.config.get("MAIL_QUEUE", "mail"))
    Worker([queue, mail], connection=queue.connection).work(burst=burst)
