"""`flask privacy purge|export|erase`: the retention purge (for cron) and one person's
subject access and erasure."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from audit.privacy import retention, subject

privacy_cli = AppGroup("privacy", help="Data protection: retention purge, export, erasure.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove photos and free text of visits older than each brand's retention."""
    summaries = retention.purge(dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for s in summaries:
        click.echo(f"{s.brand} (retention {s.retention_months} months, before {s.cutoff[:10]}):"
                   f" {verb} {s.visits} visits' text, {s.photos} photos, {s.answers} answer"
                   f" texts, {s.disputes} dispute texts, {s.action_comments} action comments,"
                   f" {s.action_photos} action photos, {s.reports} stored reports")
    if not summaries:
        click.echo("No brand has a retention period; nothing to do.")


def _person(email: str):
    user = subject.find_person(email)
    if user is None:
        raise click.ClickException(f"No account with the e-mail {email}.")
    return user


@privacy_cli.command("export")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the zip (default: person-<id>.zip here).")
def export_command(email: str, out: Path | None) -> None:
    """Write everything held about one person (JSON and their photos) to a zip."""
    user = _person(email)
    data = subject.export_person(user, actor=None)
    out = out or Path(f"person-{user.id}.zip")
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data)} bytes).")


@privacy_cli.command("erase")
@click.option("--email", required=True, help="The person's e-mail address.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, yes: bool) -> None:
    """Pseudonymise one person and blank what they wrote; branch scores stay."""
    user = _person(email)
    if not yes:
        click.confirm(f"Erase {user.email} ({user.role})? This cannot be undone.", abort=True)
    try:
        summary = subject.erase_person(user, actor=None)
    except subject.LastAdmin:
        raise click.ClickException("This is the last active admin; make another admin "
                                   "first.") from None
    if summary.already_erased:
        click.echo(f"Already erased: {summary.pseudonym}.")
        return
    click.echo(f"Erased as {summary.pseudonym}: {summary.visits_kept} visits kept, "
               f"{summary.visits_reopened} unfinished visits reopened, "
               f"{summary.photos_deleted} photos deleted, {summary.answers_blanked} answer "
               f"texts blanked, {summary.tokens_revoked} tokens revoked.")
