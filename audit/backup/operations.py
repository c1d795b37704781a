"""Create, verify and restore backups of this instance: its database, every file in its
store (through the Storage protocol only, so any backend works) and a manifest.

The database is dumped first and the files copied after: a photo uploaded meanwhile is an
extra file nobody points to, whereas copying files first would miss it for a row the dump
holds.
"""

from __future__ import annotations

import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import flask_migrate
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app

from audit.backup import archive, database
from audit.config import ROOT
from audit.extensions import db
from audit.storage import storage_for

SUFFIXES = (".tar", ".tar.gz", ".tgz")


class BackupError(Exception):
    """A backup or restore was refused; the message says why and what to do."""


@dataclass
class Summary:
    """What a command did, for its one-line report."""

    path: Path
    manifest: dict[str, Any]
    seconds: float = 0.0
    upgraded_to: str | None = None

    @property
    def rows(self) -> int:
        return sum(n for name, n in self.manifest["tables"].items()
                   if name != database.ALEMBIC_TABLE)

    @property
    def file_bytes(self) -> int:
        return sum(entry["size"] for entry in self.manifest["files"])


def app_version() -> str:
    try:
        with (ROOT / "pyproject.toml").open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def archive_path(given: str | None) -> Path:
    """Where to write: the given file, a new file in the given folder, or by default
    `instance/backups/audit-<UTC time>.tar.gz`."""
    name = f"audit-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    path = Path(given) if given else Path(current_app.instance_path) / "backups"
    if not given or path.is_dir():
        path = path / name
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"{path}: the archive's name must end in .tar, .tar.gz or .tgz")
    if path.exists():
        raise BackupError(f"{path} already exists; give a new name")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def create(given: str | None) -> Summary:
    """Dump the database, copy every stored file, write the manifest; one archive."""
    started = time.monotonic()
    path = archive_path(given)
    storage = storage_for(current_app)
    pg_bin = current_app.config.get("PG_BIN_DIR")
    kind = database.kind_of(db.engine)
    member = database.MEMBERS[kind]
    with tempfile.TemporaryDirectory(prefix="audit-backup-") as tmp:
        created_at = datetime.now(UTC)
        dump = database.dump(db.engine, Path(tmp) / member, pg_bin)
        writer = archive.ArchiveWriter(path)
        try:
            db_entry = writer.add_path(member, Path(tmp) / member)
            files = []
            for key in storage.keys(""):  # every key, whatever the backend
                data = _read_stored(storage, key)
                if data is not None:
                    files.append({"key": key, **writer.add_bytes(archive.FILES + key, data)})
            manifest = {
                "format": archive.FORMAT, "app": "service-audit",
                "app_version": app_version(),
                "created_at": created_at.isoformat(timespec="seconds"),
                "alembic_revision": dump.revision,
                "database": {"kind": kind, "member": member, **db_entry, **dump.details},
                "tables": dump.tables, "files": files,
            }
            writer.finish(manifest)
        except BaseException:
            writer.abort()
            raise
    return Summary(path, manifest, time.monotonic() - started)


def _read_stored(storage: Any, key: str) -> bytes | None:
    """The file's bytes, or None when it was deleted after it was listed."""
    try:
        return storage.get(key)
    except Exception:
        if storage.exists(key):
            raise
        return None


def verify(path: Path) -> Summary:
    """Check every member against the manifest, without restoring."""
    started = time.monotonic()
    manifest = archive.verify(path)
    return Summary(path, manifest, time.monotonic() - started)


def revision_state(manifest: dict[str, Any]) -> str:
    """`current` or `older` than this code's migrations; refused when unknown."""
    script = ScriptDirectory.from_config(
        current_app.extensions["migrate"].migrate.get_config())
    found = manifest.get("alembic_revision")
    if not found:
        raise BackupError("the archive's database has no Alembic revision")
    for rev in found.split(","):
        try:
            if script.get_revision(rev) is None:
                raise RevisionError(rev)
        except (RevisionError, CommandError):
            raise BackupError(
                f"the archive's database is at revision {rev}, which this version of the "
                "app does not know (the backup comes from a newer version); install that "
                "version first")
    return "current" if set(found.split(",")) == set(script.get_heads()) else "older"


def restore(path: Path, force: bool) -> Summary:
    """Verify the whole archive, then replace the database and write the files; nothing
    is written when the archive is damaged or the instance already holds data."""
    started = time.monotonic()
    storage = storage_for(current_app)
    pg_bin = current_app.config.get("PG_BIN_DIR")
    kind = database.kind_of(db.engine)
    with tempfile.TemporaryDirectory(prefix="audit-restore-") as tmp:
        extracted = {name: Path(tmp) / name for name in database.MEMBERS.values()}
        manifest = archive.verify(path, extract=extracted)
        source_kind = manifest["database"].get("kind")
        state = revision_state(manifest)
        _check_kinds(source_kind, kind, state)
        dump = extracted.get(manifest["database"].get("member"))
        if dump is None or not dump.exists():
            raise BackupError("the archive's manifest names no database dump this version "
                              "can read")
        database.check_restorable(source_kind, dump, pg_bin)
        if not force:
            _refuse_if_in_use(storage)
        db.session.remove()
        if source_kind == kind:
            database.restore(db.engine, kind, dump, pg_bin)
        else:  # SQLite into PostgreSQL: the schema by the migrations, then the rows
            database.clear(db.engine)
            flask_migrate.upgrade(revision=manifest["alembic_revision"])
            database.copy_sqlite_rows(dump, db.engine, db.metadata)
    _check_restored(manifest)
    archive.copy_files(path, manifest, storage.put)
    upgraded_to = None
    if state == "older":
        flask_migrate.upgrade()
        upgraded_to = database.current(db.engine)[0]
    return Summary(path, manifest, time.monotonic() - started, upgraded_to)


def _check_kinds(source: str, target: str, state: str) -> None:
    """Same kind, or SQLite into PostgreSQL (moving a small install to a server) when the
    backup is at this version's revision, so the models describe its tables exactly."""
    if source == target:
        return
    if (source, target) != ("sqlite", "postgresql"):
        raise BackupError(
            f"the archive holds a {source} database and this instance uses {target}; only "
            "SQLite archives can be restored into PostgreSQL")
    if state != "current":
        raise BackupError(
            "a SQLite archive from an older version can be restored into PostgreSQL only "
            "after an upgrade: restore it into SQLite, upgrade, and back it up again")


def _refuse_if_in_use(storage: Any) -> None:
    busy = database.tables_with_rows(db.engine)
    if busy:
        raise BackupError(
            f"the database already holds data (tables {', '.join(busy[:3])}"
            f"{', …' if len(busy) > 3 else ''}); restore into a fresh instance, or add "
            "--force to replace everything in it")
    first = next(iter(storage.keys()), None)
    if first is not None:
        raise BackupError(
            f"the file store already holds files (e.g. {first}); restore into a fresh "
            "instance, or add --force to write over them")


def _check_restored(manifest: dict[str, Any]) -> None:
    """The restored database has the archive's revision and row counts."""
    rev, counts = database.current(db.engine)
    if rev != manifest["alembic_revision"]:
        raise BackupError(f"the restored database is at revision {rev}, the archive says "
                          f"{manifest['alembic_revision']}")
    if counts != manifest["tables"]:
        wrong = sorted(name for name in set(counts) | set(manifest["tables"])
                       if counts.get(name) != manifest["tables"].get(name))
        raise BackupError(f"row counts differ from the manifest after the restore: "
                          f"{', '.join(wrong)}")
