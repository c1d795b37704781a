"""The archive format on its own (no database): keys that cannot escape the store, members
the manifest does not promise, and a backup stopped half-way that leaves no archive."""

from __future__ import annotations

import pytest

from audit.backup import archive


@pytest.mark.parametrize(("key", "safe"), [
    ("visits/1/abc.jpg", True), ("reports/2/x.pdf", True), ("../outside", False),
    ("/etc/passwd", False), ("visits/../../x", False), ("", False), ("a//b", False),
    ("a\\b", False), ("visits/", False), ("./a", False), (None, False),
])
def test_safe_key(key, safe):
    assert archive.safe_key(key) is safe


def _manifest(db_entry, files):
    return {"format": archive.FORMAT, "alembic_revision": "x", "tables": {},
            "database": {"kind": "sqlite", "member": "database.sqlite3", **db_entry},
            "files": files}


def test_round_trip_and_unpromised_members(tmp_path):
    good = tmp_path / "good.tar.gz"
    writer = archive.ArchiveWriter(good)
    db_entry = writer.add_bytes("database.sqlite3", b"db")
    photo = {"key": "visits/1/a.jpg", **writer.add_bytes("files/visits/1/a.jpg", b"jpeg")}
    writer.finish(_manifest(db_entry, [photo]))
    assert archive.verify(good)["files"] == [photo]
    stored = {}
    assert archive.copy_files(good, archive.verify(good), stored.__setitem__) == (1, 4)
    assert stored == {"visits/1/a.jpg": b"jpeg"}

    extra = tmp_path / "extra.tar"
    writer = archive.ArchiveWriter(extra)
    db_entry = writer.add_bytes("database.sqlite3", b"db")
    writer.add_bytes("files/smuggled.sh", b"#!/bin/sh")
    writer.finish(_manifest(db_entry, []))
    with pytest.raises(archive.ArchiveError, match="'files/smuggled.sh' is not in the manifest"):
        archive.verify(extra)


def test_a_manifest_naming_an_unsafe_key_is_refused(tmp_path):
    path = tmp_path / "evil.tar"
    writer = archive.ArchiveWriter(path)
    db_entry = writer.add_bytes("database.sqlite3", b"db")
    entry = writer.add_bytes("files/../escape", b"x")
    writer.finish(_manifest(db_entry, [{"key": "../escape", **entry}]))
    with pytest.raises(archive.ArchiveError, match="unsafe file key"):
        archive.verify(path)


def test_an_aborted_backup_leaves_no_archive(tmp_path):
    path = tmp_path / "stopped.tar.gz"
    writer = archive.ArchiveWriter(path)
    writer.add_bytes("database.sqlite3", b"db")
    assert not path.exists() and writer.part.exists()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(archive.ArchiveError, match="no such archive"):
        archive.verify(path)
