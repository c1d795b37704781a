"""`flask storage cleanup`: expire old report files, then delete stored files no row refers
to (after a grace period). Run it from cron or a systemd timer, e.g. daily.

`flask storage strip-metadata`: once, after upgrading past issue 13's defect 21, remove the
comments, EXIF, XMP and colour profiles that photos stored by older versions still carry."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from audit.evidence import cleanup as sweeper
from audit.evidence import expiry
from audit.evidence.pipeline import strip_jpeg_metadata
from audit.extensions import db
from audit.models.actions import ActionPhoto
from audit.models.visits import Photo
from audit.storage import storage_for

storage_cli = AppGroup("storage", help="The file store (local disk or S3).")


@storage_cli.command("cleanup")
@click.option("--dry-run", is_flag=True, help="Only count; delete and change nothing.")
@click.option("--older-than", "hours", type=click.FloatRange(min=1), default=24.0,
              show_default=True,
              help="Grace in hours: younger unreferenced files may be uploads in flight.")
@click.option("--keep-reports", "keep_days", type=click.IntRange(min=0), default=None,
              help="Days a report's file is kept (default REPORT_KEEP_DAYS; 0: for ever).")
def cleanup_command(dry_run: bool, hours: float, keep_days: int | None) -> None:
    """Expire report files past their keep period, then delete orphan files."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    storage = storage_for(app)
    keep = app.config.get("REPORT_KEEP_DAYS", 30) if keep_days is None else keep_days
    done = "to delete (dry run)" if dry_run else "deleted"
    if keep:
        reports, size = expiry.expire(storage, keep, dry_run=dry_run)
        what = "to expire (dry run)" if dry_run else "expired, files deleted"
        click.echo(f"reports older than {keep} days {what}: {reports} ({_mb(size)})")
    else:
        click.echo("report files: kept for ever (REPORT_KEEP_DAYS=0)")
    db.session.remove()  # the orphan sweep reads the rows afresh, after listing the files
    sweep = sweeper.cleanup(storage, older_than=timedelta(hours=hours), dry_run=dry_run)
    counts = sweep.by_kind
    click.echo(f"files scanned: {sweep.scanned}; unreferenced but younger than {hours:g} h "
               f"(kept): {sweep.recent}")
    click.echo("orphans: " + ", ".join(f"{kind} {counts.get(kind, 0)}"
                                       for kind in sweeper.KINDS))
    click.echo(f"orphans {done}: {len(sweep.orphans)} ({_mb(sweep.size)})")


@storage_cli.command("strip-metadata")
@click.option("--dry-run", is_flag=True, help="Only count; change nothing.")
def strip_metadata_command(dry_run: bool) -> None:
    """Remove metadata (comments, EXIF, XMP, ICC) left in stored photos and thumbnails."""
    storage = storage_for(current_app._get_current_object())  # type: ignore[attr-defined]
    scanned = changed = 0
    for model in (Photo, ActionPhoto):
        rows = db.session.execute(
            db.select(model.storage_key, model.thumb_key).where(model.purged_at.is_(None))
        ).all()
        for key in (k for row in rows for k in row if k):
            scanned += 1
            try:
                data = storage.get(key)
            except FileNotFoundError:
                continue
            clean = strip_jpeg_metadata(data)
            if clean != data:
                changed += 1
                if not dry_run:
                    storage.put(key, clean)
    done = "to clean (dry run)" if dry_run else "cleaned"
    click.echo(f"photo files scanned: {scanned}; with metadata {done}: {changed}")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
