"""A worker killed mid-request (SIGKILL, so no handler runs) leaves no half-written row: a
photo upload killed between storing its files and committing its row leaves only orphan
files, which `storage cleanup` finds and removes after the grace, sparing referenced files;
a submission killed at its commit leaves the visit as it was, answers intact.

These tests need committed data another process can read, so they use a scratch database
of their own (SQLite file, or a PostgreSQL database made for the module), not the
rolled-back test transaction."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import pytest
from sqlalchemy import func, select

from audit import create_app
from audit.auth.operations import issue_token
from audit.core.clock import utcnow
from audit.evidence.cleanup import cleanup, find_orphans
from audit.evidence.operations import add_photo
from audit.extensions import db
from audit.models.auditlog import AuditLog
from audit.models.auth import User
from audit.models.campaigns import Campaign
from audit.models.visits import Answer, Photo, Visit
from audit.storage import build_storage, use_storage
from audit.storage.local import LocalStorage
from tests.conftest import PG_ADMIN, _brand, _pg_admin_connection, s3_config
from tests.reports.conftest import fill
from tests.support import jpeg

ROOT = Path(__file__).resolve().parents[2]
LATER = timedelta(hours=25)  # past the default 24 h grace


@pytest.fixture(scope="module")
def scratch(database_url, tmp_path_factory):
    """A migrated database of the same backend with one brand, a shopper and a campaign,
    committed; the app bound to it."""
    if database_url.startswith("sqlite"):
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('crash') / 'crash.db'}", None
    else:
        admin = _pg_admin_connection()
        name = f"audit_crash_{os.getpid()}_{secrets.token_hex(3)}"
        admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}".replace(
            "postgresql://", "postgresql+psycopg://", 1)
        drop = (admin, name)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "crash",
                      "PHOTO_ROOT": str(tmp_path_factory.mktemp("unused"))})
    with app.app_context():
        flask_migrate.upgrade()
        org = _brand(db.session, "k", 1)
        shopper = User(email="shopper@crash.test", name="Shopper", role="shopper",
                       password_hash="x")
        version = org.versions["care-protocol-in-person"]
        today = utcnow().date()
        campaign = Campaign(brand=org.brand, checklist_version=version,
                            name={"en": "Wave", "vi": "Đợt"}, starts_on=today - timedelta(5),
                            ends_on=today + timedelta(5), visits_per_branch=1,
                            channel=version.channel, scenario={"en": "", "vi": ""},
                            branches=org.branches)
        db.session.add_all([shopper, campaign])
        db.session.commit()
        ids = SimpleNamespace(shopper=shopper.id, campaign=campaign.id,
                              branch=org.branches[0].id, token=issue_token(shopper))
    try:
        yield SimpleNamespace(app=app, url=url, ids=ids)
    finally:
        with app.app_context():
            db.engine.dispose()
        if drop:
            drop[0].execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')
            drop[0].close()


@pytest.fixture(params=["local", "s3"])
def crash_store(request, scratch, tmp_path):
    """The scratch app's store, and the settings that give the child process the same."""
    if request.param == "local":
        root = tmp_path / "files"
        store, config = LocalStorage(root), {"PHOTO_ROOT": str(root)}
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        request.getfixturevalue("s3_client")  # the bucket exists
        config = s3_config(endpoint, f"crash-{secrets.token_hex(6)}")
        store = build_storage(config, "")
    previous = use_storage(scratch.app, store)
    try:
        yield SimpleNamespace(store=store, config=config)
    finally:
        use_storage(scratch.app, previous)


def new_visit(scratch, status="assigned") -> int:
    with scratch.app.app_context():
        campaign = db.session.get(Campaign, scratch.ids.campaign)
        visit = Visit(campaign=campaign, branch_id=scratch.ids.branch,
                      shopper_id=scratch.ids.shopper, status=status,
                      checklist_version=campaign.checklist_version, channel=campaign.channel,
                      due_from=campaign.starts_on, due_until=campaign.ends_on)
        db.session.add(visit)
        db.session.commit()
        return visit.id


def kill_at_commit(scratch, tmp_path, action: str, visit_id: int, config: dict) -> None:
    """Run the request in a child process, wait until it reaches its commit, SIGKILL it."""
    marker = tmp_path / f"{action}.marker"
    job = {"action": action, "visit": visit_id, "token": scratch.ids.token,
           "marker": str(marker),
           "config": {"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch.url,
                      "SECRET_KEY": "crash", **config}}
    child = subprocess.Popen([sys.executable, "-m", "tests.evidence.crash_child",
                              json.dumps(job)], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"child ended early: {child.communicate()}")
            if time.monotonic() > deadline:
                pytest.fail("child never reached its commit")
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()


def test_upload_killed_before_its_commit_leaves_only_orphans_that_cleanup_removes(
        scratch, crash_store, tmp_path):
    visit_id = new_visit(scratch)
    logged = select(func.count()).select_from(AuditLog).where(AuditLog.entity == "photo")
    with scratch.app.app_context():
        entries = db.session.scalar(logged)
    kill_at_commit(scratch, tmp_path, "photo", visit_id, crash_store.config)
    store = crash_store.store
    with scratch.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Photo)
                                 .where(Photo.visit_id == visit_id)) == 0
        assert db.session.scalar(logged) == entries
        left = sorted(store.keys(f"visits/{visit_id}/"))
        assert len(left) == 2 and sum(k.endswith("-thumb.jpg") for k in left) == 1
        visit = db.session.get(Visit, visit_id)
        kept = add_photo(visit, jpeg(), question_code=None, caption="",
                         actor=db.session.get(User, scratch.ids.shopper))
        kept_keys = sorted([kept.storage_key, kept.thumb_key])

        young = find_orphans(store)  # within the grace: an upload may still be in flight
        assert (young.orphans, young.recent) == ([], 2)
        dry = cleanup(store, now=utcnow() + LATER, dry_run=True)
        assert sorted(f.key for f in dry.orphans) == left and dry.deleted == 0
        assert dict(dry.by_kind) == {"photos": 1, "thumbnails": 1}
        assert sorted(store.keys(f"visits/{visit_id}/")) == sorted(left + kept_keys)

        done = cleanup(store, now=utcnow() + LATER)
        assert done.deleted == 2
        assert sorted(store.keys(f"visits/{visit_id}/")) == kept_keys
        assert store.get(kept.storage_key)  # the referenced photo is untouched


def test_submission_killed_at_its_commit_leaves_the_visit_as_it_was(scratch, tmp_path):
    visit_id = new_visit(scratch)
    with scratch.app.app_context():
        visit = db.session.get(Visit, visit_id)
        fill(visit, db.session.get(User, scratch.ids.shopper))
        before = {a.question.code: (a.value, a.na, a.comment) for a in visit.answers}
        revision = visit.revision
    assert before and len(before) > 10
    kill_at_commit(scratch, tmp_path, "submit", visit_id,
                   {"PHOTO_ROOT": str(tmp_path / "files")})
    with scratch.app.app_context():
        visit = db.session.get(Visit, visit_id)
        assert (visit.status, visit.submitted_at, visit.score_overall) == (
            "in_progress", None, None)
        assert visit.revision == revision
        after = {a.question.code: (a.value, a.na, a.comment) for a in visit.answers}
        assert after == before
        assert db.session.scalar(select(func.count()).select_from(Answer)
                                 .where(Answer.visit_id == visit_id)) == len(before)
        assert db.session.scalars(select(AuditLog.new_value).where(
            AuditLog.entity == "visit", AuditLog.entity_id == visit_id,
            AuditLog.action == "status")).all() == ["in_progress"]


def test_a_worker_stopped_at_the_commit_removes_the_files_it_stored(
        file_store, world, make_visit, session, monkeypatch):
    """A graceful stop (gunicorn's worker timeout raises SystemExit) is cleaned up at once."""
    visit = make_visit()
    session.commit()  # the rollback after the stop must not take the visit with it

    def stopped() -> None:
        raise SystemExit(1)

    monkeypatch.setattr(db.session, "commit", stopped)
    with pytest.raises(SystemExit):
        add_photo(visit, jpeg(), question_code=None, caption="", actor=world.people.shopper)
    monkeypatch.undo()
    assert session.scalar(select(func.count()).select_from(Photo)
                          .where(Photo.visit_id == visit.id)) == 0
    assert list(file_store.keys()) == []

