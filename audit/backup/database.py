"""Database dumps per kind, each one consistent snapshot with its row counts and Alembic
revision read in that same snapshot.

SQLite: sqlite3's online backup API, safe while the app writes in WAL mode (the copy is
made in one step under a read transaction). PostgreSQL: `pg_dump --format=custom` inside a
REPEATABLE READ transaction whose snapshot is exported to pg_dump (`--snapshot`), so the
counts in the manifest describe exactly the rows in the dump. pg_dump rather than a dump
written by hand: it keeps every type, constraint, index and sequence value exactly, and an
operator can read the dump with the standard tools (`pg_restore --list`).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    create_engine,
    func,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.pool import NullPool

MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ALEMBIC_TABLE = "alembic_version"


class DatabaseError(Exception):
    """The database cannot be dumped or restored as asked."""


@dataclass
class Dump:
    """What a dump holds, read in the dump's own snapshot."""

    kind: str
    revision: str | None
    tables: dict[str, int]
    details: dict[str, str] = field(default_factory=dict)


def kind_of(engine: Engine) -> str:
    if engine.dialect.name not in MEMBERS:
        raise DatabaseError(f"backups support SQLite and PostgreSQL, not {engine.dialect.name}")
    return engine.dialect.name


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table (the Alembic table included)."""
    return {name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in sorted(inspect(conn).get_table_names())}


def revision(conn: Connection) -> str | None:
    if ALEMBIC_TABLE not in inspect(conn).get_table_names():
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalars().all()
    return ",".join(sorted(rows)) or None


def tables_with_rows(engine: Engine) -> list[str]:
    """Application tables holding data: a database where this is empty may be replaced."""
    with engine.connect() as conn:
        counts = table_counts(conn)
    return [name for name, n in counts.items() if n and name != ALEMBIC_TABLE]


def current(engine: Engine) -> tuple[str | None, dict[str, int]]:
    """The live database's revision and row counts."""
    with engine.connect() as conn:
        return revision(conn), table_counts(conn)


def dump(engine: Engine, dest: Path, pg_bin: str | None = None) -> Dump:
    """Write a consistent dump of the database to `dest`."""
    if kind_of(engine) == "sqlite":
        return _dump_sqlite(engine, dest)
    return _dump_postgresql(engine, dest, pg_bin)


def check_restorable(kind: str, source: Path, pg_bin: str | None = None) -> None:
    """Make sure the extracted dump can be read before anything is dropped."""
    if kind == "sqlite":
        conn = sqlite3.connect(source)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"the SQLite copy in the archive is unreadable ({exc})") from exc
        finally:
            conn.close()
        if result != "ok":
            raise DatabaseError(f"the SQLite copy in the archive is damaged: {result}")
        return
    tool, _major, _version = pg_tool("pg_restore", pg_bin)
    _run([tool, "--list", str(source)], dict(os.environ), "pg_restore --list")


def restore(engine: Engine, kind: str, source: Path, pg_bin: str | None = None) -> None:
    """Replace the whole database with the dump (the caller checked it may)."""
    if kind != kind_of(engine):
        raise DatabaseError(
            f"this archive holds a {kind} database and this instance uses "
            f"{engine.dialect.name}; restoring across kinds is not supported")
    if kind == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _restore_postgresql(engine, source, pg_bin)


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise DatabaseError("only a SQLite database in a file can be backed up or restored")
    return path


def _dump_sqlite(engine: Engine, dest: Path) -> Dump:
    source, target = sqlite3.connect(_sqlite_path(engine), timeout=30), sqlite3.connect(dest)
    try:
        source.backup(target)  # all pages in one step: one read transaction, one snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    finally:
        source.close()
        target.close()
    copy = create_engine(f"sqlite:///{dest}", poolclass=NullPool)
    try:
        with copy.connect() as conn:
            found = Dump("sqlite", revision(conn), table_counts(conn),
                         {"sqlite_version": sqlite3.sqlite_version})
    finally:
        copy.dispose()
    return found


def _restore_sqlite(engine: Engine, source: Path) -> None:
    engine.dispose()  # no pooled connection keeps an old view of the file
    path = Path(_sqlite_path(engine))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as src, \
                closing(sqlite3.connect(path, timeout=30)) as dst:
            src.backup(dst)  # the target's pages are replaced in one write transaction
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"writing the SQLite database {path} failed ({exc})") from exc


def pg_tool(name: str, pg_bin: str | None) -> tuple[str, int, str]:
    """The PostgreSQL client program (from PG_BIN_DIR or PATH), its major version and
    its version line."""
    path = str(Path(pg_bin) / name) if pg_bin else shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        raise DatabaseError(
            f"{name} was not found; install the PostgreSQL client programs of the server's "
            "major version (e.g. postgresql-client-15) or set PG_BIN_DIR to their folder")
    line = subprocess.run([path, "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()
    match = re.search(r"\d+", line)
    if not match:
        raise DatabaseError(f"cannot read the version of {path}: {line!r}")
    return path, int(match.group()), line


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the client programs; the password goes in the
    environment, never on a command line other users can see."""
    url = engine.url
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise DatabaseError(f"{what} failed: {done.stderr.strip() or done.returncode}")


def _dump_postgresql(engine: Engine, dest: Path, pg_bin: str | None) -> Dump:
    tool, tool_major, tool_line = pg_tool("pg_dump", pg_bin)
    conninfo, env = _libpq(engine)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            server = conn.execute(text("SHOW server_version")).scalar_one()
            server_major = int(conn.execute(text("SHOW server_version_num")).scalar_one())
            server_major //= 10000
            if tool_major != server_major:
                raise DatabaseError(
                    f"pg_dump is version {tool_major} and the server {server_major}: a "
                    "dump must be read back by the same major version of pg_restore; "
                    "install the matching client programs or set PG_BIN_DIR")
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            found = Dump("postgresql", revision(conn), table_counts(conn),
                         {"server_version": server, "pg_dump": tool_line})
            # pg_dump reads the very snapshot the counts above were taken in; it stays
            # valid while this transaction is open.
            _run([tool, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}",
                  f"--dbname={conninfo}"], env, "pg_dump")
    return found


def _restore_postgresql(engine: Engine, source: Path, pg_bin: str | None) -> None:
    tool, _major, _line = pg_tool("pg_restore", pg_bin)
    conninfo, env = _libpq(engine)
    _drop_everything(engine)
    engine.dispose()
    _run([tool, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          f"--dbname={conninfo}", str(source)], env, "pg_restore")


def copy_sqlite_rows(source: Path, engine: Engine, metadata: MetaData) -> None:
    """Move a SQLite dump into a PostgreSQL database already migrated to the same revision:
    every table's rows in dependency order, read and written with the models' own types,
    in one transaction; then each id sequence continues after the largest id."""
    reader = create_engine(f"sqlite:///{source}", poolclass=NullPool)
    try:
        with reader.connect() as src, engine.begin() as dst:
            for tbl in metadata.sorted_tables:
                result = src.execute(select(tbl).order_by(*tbl.primary_key))
                while batch := result.fetchmany(2000):
                    dst.execute(tbl.insert(), [row._asdict() for row in batch])
                column = tbl.autoincrement_column
                if column is not None:
                    dst.execute(text(
                        f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                        f"FROM {tbl.name}"), {"table": tbl.name, "column": column.name})
    except Exception as exc:
        raise DatabaseError(f"copying the SQLite rows into PostgreSQL failed ({exc})") from exc
    finally:
        reader.dispose()


def clear(engine: Engine) -> None:
    """Empty the database before a restore that rebuilds the schema by migrations."""
    if kind_of(engine) == "postgresql":
        _drop_everything(engine)


def _drop_everything(engine: Engine) -> None:
    """Drop the schema's views, tables and sequences in one transaction (pg_restore
    creates them again)."""
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        # A running app holding locks makes this fail in seconds instead of waiting.
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        found = inspect(conn)
        for name in found.get_view_names():
            conn.execute(text(f"DROP VIEW IF EXISTS {quote(name)} CASCADE"))
        for name in found.get_table_names():
            conn.execute(text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))
        for name in found.get_sequence_names():
            conn.execute(text(f"DROP SEQUENCE IF EXISTS {quote(name)} CASCADE"))
