"""Backups end to end on each backend, through `flask backup`: a restore into a fresh
instance finds every row and every file; damaged archives, archives of the other kind and
instances that hold data are refused with nothing written."""

from __future__ import annotations

import hashlib
import json
import tarfile
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

from audit import db_setup
from audit.backup import archive, database
from audit.backup.operations import app_version
from audit.extensions import db
from audit.models.orgs import Brand
from audit.models.reports import Report
from audit.models.visits import Photo, Visit
from audit.reports.operations import read_file
from audit.storage import storage_for
from tests.backup.conftest import archive_copy, invoke, world
from tests.support import login


def _rows(app) -> dict[str, list]:
    """Every row of every table, in primary-key order."""
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: conn.execute(select(table).order_by(*table.primary_key)).all()
                for table in db.metadata.sorted_tables}


def _files(app) -> dict[str, bytes]:
    with app.app_context():
        store = storage_for(app)
        return {key: store.get(key) for key in store.keys("")}


def _head(app) -> str:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return ScriptDirectory.from_config(config).get_current_head()


def _revision(app) -> str | None:
    with app.app_context():
        return database.current(db.engine)[0]


def _assert_nothing_written(app) -> None:
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        assert list(storage_for(app).keys()) == []


def test_restore_into_a_fresh_instance_finds_everything(source, new_instance):
    target = new_instance()
    result = invoke(target, "restore", source.archive)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "9 files" in result.output

    before, after = _rows(source.app), _rows(target)
    assert {name: len(rows) for name, rows in after.items()} == \
        {name: len(rows) for name, rows in before.items()}
    assert after == before
    for name in ("visits", "answers", "photos", "reports", "audit_log", "questions"):
        assert before[name], f"the world left {name} empty"
    assert _revision(target) == _head(target)

    assert _files(target) == _files(source.app)
    with target.app_context():
        store = storage_for(target)
        photos = db.session.scalars(select(Photo).order_by(Photo.id)).all()
        assert len(photos) == 4
        for photo in photos:  # each row finds its picture and thumbnail
            assert len(store.get(photo.storage_key)) == photo.size_bytes
            assert store.get(photo.storage_key)[:3] == b"\xff\xd8\xff"  # JPEG
            assert store.exists(photo.thumb_key)
        report = db.session.scalars(select(Report)).one()
        assert read_file(report).startswith(b"%PDF")
        assert len(read_file(report)) == report.size_bytes
        # New rows get new ids (PostgreSQL's sequences came back with the data).
        brand = Brand(code="after", name="After the restore")
        db.session.add(brand)
        db.session.commit()
        assert brand.id > max(row.id for row in before["brands"])
        photo_id, photo_bytes = photos[0].id, store.get(photos[0].storage_key)

    client = target.test_client()
    login(client, SimpleNamespace(email="qm@backup.test"))
    served = client.get(f"/photos/{photo_id}")
    assert served.status_code == 200
    assert served.data == photo_bytes


def test_verify_checks_the_archive_and_its_manifest_describes_it(source, kind):
    result = invoke(source.app, "verify", source.archive)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {source.archive}")
    assert f"{kind} database at revision {_head(source.app)}" in result.output

    with tarfile.open(source.archive) as tar:
        assert tar.getnames()[-1] == "manifest.json"
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["app_version"] == app_version() != "unknown"
    assert manifest["alembic_revision"] == _head(source.app)
    assert manifest["database"]["kind"] == kind
    created = datetime.fromisoformat(manifest["created_at"])
    assert timedelta(0) <= datetime.now(UTC) - created < timedelta(hours=1)
    with source.app.app_context():
        assert manifest["tables"] == database.current(db.engine)[1]
    assert manifest["tables"]["alembic_version"] == 1
    assert manifest["tables"]["photos"] == 4
    files = _files(source.app)
    assert manifest["files"] == [
        {"key": key, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for key, data in files.items()]
    assert invoke(source.app, "verify", source.plain).exit_code == 0


def _damage(source, how: str):
    if how == "flipped byte in a photo":
        path = archive_copy(source, "flipped.tar", plain=True)
        with tarfile.open(path) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("-thumb.jpg"))
        data = bytearray(path.read_bytes())
        data[member.offset_data + member.size // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "truncated":
        path = archive_copy(source, "truncated.tar.gz")
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:  # the archive ends just before its manifest (a copy stopped early)
        path = archive_copy(source, "no-manifest.tar", plain=True)
        with tarfile.open(path) as tar:
            manifest = tar.getmember("manifest.json")
        path.write_bytes(path.read_bytes()[: manifest.offset] + bytes(1024))
    return path


@pytest.mark.parametrize(("how", "message"), [
    ("flipped byte in a photo", "does not match the manifest"),
    ("truncated", "damaged or incomplete"),
    ("manifest cut off", "has no manifest"),
])
def test_a_damaged_archive_is_refused_and_nothing_is_written(source, new_instance, how,
                                                             message):
    path = _damage(source, how)
    checked = invoke(source.app, "verify", path)
    assert checked.exit_code == 1
    assert "The archive is not usable" in checked.output and message in checked.output

    target = new_instance(migrate=False)
    result = invoke(target, "restore", path)
    assert result.exit_code == 1
    assert "Restore failed" in result.output and message in result.output
    _assert_nothing_written(target)


def test_restore_refuses_an_instance_with_data_unless_forced(source, new_instance):
    before, files = _rows(source.app), _files(source.app)
    result = invoke(source.app, "restore", source.archive)
    assert result.exit_code == 1
    assert "the database already holds data" in result.output and "--force" in result.output
    assert _rows(source.app) == before

    target = new_instance()  # tables, no rows; but a file in its store
    with target.app_context():
        storage_for(target).put("stray/note.txt", b"kept")
    result = invoke(target, "restore", source.archive)
    assert result.exit_code == 1
    assert "the file store already holds files (e.g. stray/note.txt)" in result.output
    assert not any(_rows(target).values())

    with target.app_context():
        db.session.add(Brand(code="other", name="Another brand"))
        db.session.commit()
    result = invoke(target, "restore", source.archive, "--force")
    assert result.exit_code == 0, result.output
    assert _rows(target) == before
    assert _files(target) == {**files, "stray/note.txt": b"kept"}


def test_an_older_backup_is_upgraded_after_the_restore(new_instance, tmp_path):
    old = new_instance(revision="0006comparison")
    with old.app_context():
        db.session.execute(text(
            "INSERT INTO brands (code, name, weight_tangibles, weight_reliability, "
            "weight_responsiveness, weight_assurance, weight_empathy, critical_policy) "
            "VALUES ('old', 'Thương hiệu cũ', 20, 20, 20, 20, 20, 'flag')"))
        db.session.commit()
    path = tmp_path / "old.tgz"
    assert invoke(old, "create", path).exit_code == 0
    checked = invoke(old, "verify", path)
    assert "older than this version; a restore upgrades it" in checked.output

    target = new_instance(migrate=False)
    result = invoke(target, "restore", path)
    assert result.exit_code == 0, result.output
    assert f"upgraded to revision {_head(target)}" in result.output
    assert _revision(target) == _head(target)
    with target.app_context():
        assert db.session.scalars(select(Brand.name)).all() == ["Thương hiệu cũ"]
        assert inspect(db.engine).has_table("reports")


def test_an_archive_of_the_other_database_kind_is_refused(source, new_instance, kind,
                                                          tmp_path):
    other = "postgresql" if kind == "sqlite" else "sqlite"
    path = tmp_path / "other.tar"
    writer = archive.ArchiveWriter(path)
    entry = writer.add_bytes(database.MEMBERS[other], b"not really a dump")
    writer.finish({"format": archive.FORMAT, "app_version": "0.1.0",
                   "created_at": "2026-01-01T00:00:00+00:00",
                   "alembic_revision": _head(source.app),
                   "database": {"kind": other, "member": database.MEMBERS[other], **entry},
                   "tables": {}, "files": []})
    target = new_instance(migrate=False)
    result = invoke(target, "restore", path)
    assert result.exit_code == 1
    assert {  # SQLite archives may go into PostgreSQL, after their dump is checked
        "sqlite": "holds a postgresql database and this instance uses sqlite; only SQLite "
                  "archives can be restored into PostgreSQL",
        "postgresql": "the SQLite copy in the archive is unreadable",
    }[kind] in result.output
    _assert_nothing_written(target)


def test_a_sqlite_backup_restores_into_postgresql(source, new_instance, kind, tmp_path):
    if kind != "postgresql":
        pytest.skip("moving SQLite into PostgreSQL runs with the PostgreSQL instances")
    small = new_instance(of="sqlite")
    world(small)
    path = tmp_path / "small.tar.gz"
    assert invoke(small, "create", path).exit_code == 0
    target = new_instance()  # after `flask db upgrade`, empty
    result = invoke(target, "restore", path)
    assert result.exit_code == 0, result.output
    assert "postgresql" not in result.output  # the summary describes the archive
    assert _rows(target) == _rows(small)
    assert _files(target) == _files(small)
    assert _revision(target) == _head(target)
    with target.app_context():
        visit = db.session.scalars(select(Visit).where(Visit.status == "approved")).one()
        assert visit.scores["dimensions"] and visit.submitted_at.tzinfo is not None
        brand = Brand(code="next", name="After the move")
        db.session.add(brand)
        db.session.commit()  # the id sequences continue after the copied rows
        assert brand.id == max(row.id for row in _rows(small)["brands"]) + 1


def test_a_backup_taken_while_the_app_writes_is_one_consistent_snapshot(new_instance,
                                                                        tmp_path):
    """Rows inserted by another connection during the backup: the dump and the manifest's
    counts are the same snapshot, so the restore's count check passes."""
    app = new_instance()
    with app.app_context():
        engine = create_engine(db.engine.url)
        db_setup.configure_engine(engine)
    stop, written = threading.Event(), []

    def write() -> None:
        while not stop.is_set():
            with engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO brands (code, name, weight_tangibles, weight_reliability, "
                    "weight_responsiveness, weight_assurance, weight_empathy, "
                    "critical_policy) VALUES (:code, 'Đang ghi', 20, 20, 20, 20, 20, 'flag')"),
                    {"code": f"w{len(written)}"})
            written.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        during = len(written)
        result = invoke(app, "create", tmp_path / "live.tar")
        during = len(written) - during
    finally:
        stop.set()
        writer.join()
        engine.dispose()
    assert result.exit_code == 0, result.output
    assert during > 0  # the writer really wrote while the backup ran

    target = new_instance(migrate=False)
    restored = invoke(target, "restore", tmp_path / "live.tar")
    assert restored.exit_code == 0, restored.output
    with tarfile.open(tmp_path / "live.tar") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    with target.app_context():
        count = db.session.scalar(select(func.count()).select_from(Brand))
    assert count == manifest["tables"]["brands"]
    assert 20 <= count < len(written)
