"""`flask storage cleanup`: orphan files of every kind go after the grace, referenced files
and files outside the application's areas stay, on local disk and S3."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.core.clock import utcnow
from audit.evidence import cleanup as sweeper
from audit.evidence.operations import add_photo
from audit.models.reports import Report
from audit.storage.local import LocalStorage
from tests.support import jpeg

LATER = timedelta(hours=25)


@pytest.fixture
def stored(file_store, world, make_visit, session):
    """A referenced photo and report file, orphans of each kind, and a file of another tool."""
    visit = make_visit()
    photo = add_photo(visit, jpeg(), question_code=None, caption="",
                      actor=world.people.shopper)
    report = Report(kind="visit", params={"visit": visit.id}, lang="en", status="done",
                    requested_by=world.people.manager, storage_key="reports/1/kept.pdf",
                    size_bytes=4, finished_at=utcnow())
    session.add(report)
    session.commit()
    file_store.put(report.storage_key, b"%PDF")
    orphans = {"visits/999/lost.jpg": "photos", "visits/999/lost-thumb.jpg": "thumbnails",
               "actions/7/lost.jpg": "action evidence", "actions/7/lost-thumb.jpg": "thumbnails",
               "reports/9/lost.pdf": "report files"}
    for key in orphans:
        file_store.put(key, b"orphan")
    if isinstance(file_store, LocalStorage):  # a writer killed mid-write
        (file_store.root / "visits/999/cut.jpg.part").write_bytes(b"half")
        orphans["visits/999/cut.jpg.part"] = "partial writes"
    file_store.put("backups/db.sql", b"not ours")
    kept = {photo.storage_key, photo.thumb_key, report.storage_key, "backups/db.sql"}
    return file_store, orphans, kept


def all_files(store) -> set[str]:
    return {f.key for f in store.files()}


def test_orphans_of_every_kind_go_after_the_grace_and_referenced_files_stay(stored):
    store, orphans, kept = stored
    young = sweeper.cleanup(store)
    assert (young.orphans, young.recent, young.deleted) == ([], len(orphans), 0)
    dry = sweeper.cleanup(store, now=utcnow() + LATER, dry_run=True)
    assert {f.key: sweeper.kind_of(f) for f in dry.orphans} == orphans
    assert dry.deleted == 0 and all_files(store) == kept | set(orphans)
    assert dry.scanned == len(orphans) + 3  # backups/ is never listed
    done = sweeper.cleanup(store, now=utcnow() + LATER)
    assert done.deleted == len(orphans) and done.size == sum(
        len(b"half" if k.endswith(".part") else b"orphan") for k in orphans)
    assert all_files(store) == kept


def test_command_prints_counts_and_honours_dry_run(app, stored, monkeypatch):
    store, orphans, kept = stored
    runner = app.test_cli_runner()
    monkeypatch.setattr(sweeper, "utcnow", lambda: utcnow() + LATER)
    dry = runner.invoke(args=["storage", "cleanup", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    thumbs = sum(kind == "thumbnails" for kind in orphans.values())
    assert f"thumbnails {thumbs}," in dry.output and "report files 1," in dry.output
    assert f"orphans to delete (dry run): {len(orphans)}" in dry.output
    assert all_files(store) == kept | set(orphans)
    done = runner.invoke(args=["storage", "cleanup", "--older-than", "2"])
    assert done.exit_code == 0, done.output
    assert f"orphans deleted: {len(orphans)}" in done.output
    assert all_files(store) == kept


def test_command_refuses_a_grace_under_an_hour(app, session):
    result = app.test_cli_runner().invoke(args=["storage", "cleanup", "--older-than", "0.1"])
    assert result.exit_code == 2 and "--older-than" in result.output
