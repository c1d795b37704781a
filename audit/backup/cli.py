"""`flask backup create|verify|restore`: one archive with the database and every stored
file. Operator commands, in English like the other CLI groups."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from audit.backup import operations
from audit.backup.archive import ArchiveError, StorageWriteError
from audit.backup.database import DatabaseError

backup_cli = AppGroup("backup", help="Back up and restore the database and stored files.")
FAILURES = (operations.BackupError, ArchiveError, DatabaseError, StorageWriteError)


def _describe(summary: operations.Summary) -> str:
    manifest = summary.manifest
    tables = [n for n in manifest["tables"] if n != "alembic_version"]
    return (f"{manifest['database']['kind']} database at revision "
            f"{manifest['alembic_revision']}: {len(tables)} tables, {summary.rows} rows; "
            f"{len(manifest['files'])} files ({summary.file_bytes / 1e6:.1f} MB)")


@backup_cli.command("create")
@click.argument("path", required=False)
def create_command(path: str | None) -> None:
    """Write a backup archive (.tar, .tar.gz or .tgz; default instance/backups/)."""
    try:
        summary = operations.create(path)
    except FAILURES as exc:
        raise click.ClickException(f"Backup failed: {exc}")
    size = summary.path.stat().st_size
    click.echo(f"Backup written to {summary.path} ({size / 1e6:.1f} MB in "
               f"{summary.seconds:.1f} s): {_describe(summary)}.")


@backup_cli.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def verify_command(path: Path) -> None:
    """Check every member of an archive against its manifest, without restoring."""
    try:
        summary = operations.verify(path)
        state = operations.revision_state(summary.manifest)
    except FAILURES as exc:
        raise click.ClickException(f"The archive is not usable: {exc}")
    manifest = summary.manifest
    click.echo(f"OK: {path} made {manifest['created_at']} by version "
               f"{manifest['app_version']}; {_describe(summary)}.")
    if state == "older":
        click.echo("The database is older than this version; a restore upgrades it.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that holds data and write over stored files.")
def restore_command(path: Path, force: bool) -> None:
    """Restore an archive into this instance (a fresh one unless --force)."""
    try:
        summary = operations.restore(path, force)
    except FAILURES as exc:
        raise click.ClickException(f"Restore failed: {exc}")
    click.echo(f"Restored {path} in {summary.seconds:.1f} s: {_describe(summary)}.")
    if summary.upgraded_to:
        click.echo(f"The database was upgraded to revision {summary.upgraded_to}.")
