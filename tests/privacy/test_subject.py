"""Subject access (export) and erasure of one person; branch scores stay exactly."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from flask import current_app
from sqlalchemy import select

from audit.evidence.operations import add_photo
from audit.models.auditlog import AuditLog
from audit.models.auth import ApiToken, User
from audit.models.visits import Photo, Visit
from audit.privacy import subject
from audit.storage import storage_for
from audit.visits import operations
from tests.privacy.conftest import COMMENT, STAFF_TEXT, answer_items, snapshot
from tests.support import PASSWORD, jpeg


def test_export_holds_everything_about_the_shopper(app, session, world, aged, token_for):
    shopper = world.people.shopper
    old = aged(30, with_extras=False)
    token_for(shopper)
    data = subject.export_person(shopper, actor=world.people.admin)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["person.json", f"photos/{old.photo.id}.jpg"]
    assert archive.read(f"photos/{old.photo.id}.jpg") == storage_for(current_app).get(
        old.photo.storage_key)
    person = json.loads(archive.read("person.json"))
    assert person["account"]["email"] == shopper.email
    assert person["account"]["name"] == "Nguyễn Bí Mật"
    [visit] = person["visits_as_shopper"]
    assert visit["id"] == old.visit.id and visit["narrative"].startswith("Tôi hỏi")
    answers = {a["question"]: a for a in visit["answers"]}
    assert answers["P1.1"]["comment"] == COMMENT and answers["STAFF"]["value"] == STAFF_TEXT
    assert "score_overall" not in visit and "scores" not in visit  # the branch's, not theirs
    [token] = person["api_tokens"]
    assert set(token) == {"id", "created_at", "expires_at", "last_used_at", "revoked_at"}
    assert "token_hash" not in json.dumps(person)
    actions = {(e["entity"], e["action"]) for e in person["audit_log"]}
    assert {("photo", "add"), ("visit", "status")} <= actions
    [photo] = person["photos"]
    assert photo["caption"] == "Quầy của chị Lan"
    logged = session.scalars(select(AuditLog).where(
        AuditLog.entity == "user", AuditLog.entity_id == shopper.id)).all()
    assert [(e.action, e.actor_id) for e in logged] == [("export", world.people.admin.id)]


def test_export_command_writes_the_zip(app, session, world, tmp_path):
    out = tmp_path / "person.zip"
    result = app.test_cli_runner().invoke(args=[
        "privacy", "export", "--email", world.people.owner.email.upper(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    person = json.loads(zipfile.ZipFile(out).read("person.json"))
    assert person["account"]["role"] == "franchise_owner"
    missing = app.test_cli_runner().invoke(args=["privacy", "export", "--email", "x@y.z"])
    assert missing.exit_code != 0 and "No account with the e-mail x@y.z" in missing.output


def test_erase_pseudonymises_and_keeps_published_scores(client, session, world, aged,
                                                        make_visit, token_for):
    shopper = world.people.shopper
    email = shopper.email
    old = aged(30, with_extras=False)
    published = snapshot(old.visit)
    headers = token_for(shopper)
    draft = make_visit(branch=world.a.branches[1], shopper=shopper)
    operations.save_answers(draft, answer_items(draft), shopper)
    draft_photo = add_photo(draft, jpeg(), question_code=None, caption="", actor=shopper)
    storage = storage_for(current_app)
    assert storage.exists(draft_photo.storage_key)

    summary = subject.erase_person(shopper, actor=world.people.admin)

    assert summary.pseudonym == f"Erased shopper #{shopper.id}"
    assert (summary.visits_kept, summary.visits_reopened, summary.photos_deleted,
            summary.tokens_revoked) == (1, 1, 1, 1)
    session.expire_all()
    user = session.get(User, shopper.id)
    assert (user.name, user.email) == (f"Erased shopper #{shopper.id}",
                                       f"erased-{shopper.id}@erased.invalid")
    assert not user.active and user.erased_at is not None and not user.check_password(PASSWORD)
    assert all(t.revoked_at is not None for t in session.scalars(
        select(ApiToken).where(ApiToken.user_id == shopper.id)))
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.post("/login", data={"email": email, "password": PASSWORD}
                       ).status_code != 302  # the old login no longer works
    kept = session.get(Visit, old.visit.id)
    assert snapshot(kept) == published and kept.status == "approved"
    assert kept.shopper.name == f"Erased shopper #{shopper.id}"
    assert kept.narrative == "" and all(a.comment == "" for a in kept.answers)
    assert kept.reviewer_comment.startswith("Ghi chú")  # the reviewer's words, not theirs
    assert session.get(Photo, old.photo.id).caption == ""  # evidence kept, caption gone
    assert storage.exists(old.photo.storage_key)
    reopened = session.get(Visit, draft.id)
    assert (reopened.status, reopened.shopper_id, reopened.answers, reopened.photos) == (
        "open", None, [], [])
    assert not storage.exists(draft_photo.storage_key)
    [entry] = session.scalars(select(AuditLog).where(
        AuditLog.entity == "user", AuditLog.action == "erase")).all()
    assert entry.actor_id == world.people.admin.id and entry.new_value["visits_kept"] == 1
    assert "Nguyễn" not in json.dumps(entry.new_value, ensure_ascii=False)
    # Erasing again is harmless.
    assert subject.erase_person(session.get(User, shopper.id), None).already_erased


def test_erase_keeps_the_text_of_no_one_else(session, world, aged):
    old = aged(30, with_extras=False)
    other = aged(30, shopper=world.people.other_shopper, with_extras=False)
    subject.erase_person(world.people.shopper, actor=None)
    session.expire_all()
    assert session.get(Visit, other.visit.id).narrative.startswith("Tôi hỏi")
    assert session.get(Visit, old.visit.id).narrative == ""


def test_the_last_admin_cannot_be_erased(app, session, world, make_user):
    admin = world.people.admin
    with pytest.raises(subject.LastAdmin):
        subject.erase_person(admin, actor=None)
    result = app.test_cli_runner().invoke(args=["privacy", "erase", "--email", admin.email,
                                                "--yes"])
    assert result.exit_code != 0 and "last active admin" in result.output
    assert session.get(User, admin.id).erased_at is None
    make_user("admin")
    assert subject.erase_person(admin, actor=None).pseudonym == f"Erased user #{admin.id}"


def test_erase_command_asks_first(app, session, world):
    owner = world.people.owner
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["privacy", "erase", "--email", owner.email], input="n\n")
    assert refused.exit_code != 0
    assert session.get(User, owner.id).erased_at is None
    done = runner.invoke(args=["privacy", "erase", "--email", owner.email], input="y\n")
    assert done.exit_code == 0, done.output
    assert f"Erased as Erased user #{owner.id}" in done.output


def test_person_page_exports_and_erases(client, session, world):
    from tests.support import login

    owner = world.people.owner
    login(client, world.people.admin)
    page = client.get(f"/people/{owner.id}", headers={"Accept-Language": "vi"}).get_data(
        as_text=True)
    assert f"/privacy/users/{owner.id}/export" in page and "Xuất dữ liệu (zip)" in page
    download = client.get(f"/privacy/users/{owner.id}/export")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    person = json.loads(zipfile.ZipFile(io.BytesIO(download.data)).read("person.json"))
    assert person["account"]["email"] == owner.email
    unconfirmed = client.post(f"/privacy/users/{owner.id}/erase", follow_redirects=True,
                              headers={"Accept-Language": "en"})
    assert "Tick the box to confirm the erasure." in unconfirmed.get_data(as_text=True)
    assert session.get(User, owner.id).erased_at is None
    done = client.post(f"/privacy/users/{owner.id}/erase", data={"confirm": "y"},
                       follow_redirects=True, headers={"Accept-Language": "en"})
    assert f"the account is now Erased user #{owner.id}" in done.get_data(as_text=True)
    assert done.request.path == f"/people/{owner.id}"
    assert "This account was erased" in done.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, owner.id).erased_at is not None


@pytest.mark.parametrize("role", ["quality_manager", "franchise_owner", "shopper"])
def test_only_admins_handle_personal_data(client, world, make_user, role):
    from tests.support import login

    login(client, world.people.manager if role == "quality_manager" else
          world.people.owner if role == "franchise_owner" else world.people.shopper)
    target = world.people.other_shopper.id
    assert client.get(f"/privacy/users/{target}/export").status_code == 403
    assert client.post(f"/privacy/users/{target}/erase",
                       data={"confirm": "y"}).status_code == 403


def test_erasure_reaches_the_messages(session, world, aged):
    """The shopper's own messages and choices go; a manager's message about their visit
    names the pseudonym, so no message keeps the erased name (issue 16)."""
    from audit.models.notifications import Notification, NotificationPreference

    shopper, manager = world.people.shopper, world.people.manager
    aged(months=1, with_extras=False)
    session.add(NotificationPreference(user_id=shopper.id, choices={"visit_assigned": "in_app"}))
    session.commit()
    own = session.scalars(select(Notification).filter_by(user_id=shopper.id)).all()
    about = session.scalars(select(Notification).filter_by(user_id=manager.id,
                                                           kind="visit_submitted")).all()
    assert own and about and all(n.context["shopper_name"] == shopper.name for n in about)
    exported = json.loads(zipfile.ZipFile(io.BytesIO(subject.export_person(
        shopper, world.people.admin))).read("person.json"))
    assert {n["kind"] for n in exported["notifications"]} == {n.kind for n in own}
    assert exported["notification_choices"] == {"visit_assigned": "in_app"}

    summary = subject.erase_person(shopper, world.people.admin)

    assert summary.messages_deleted == len(own)
    assert session.scalars(select(Notification).filter_by(user_id=shopper.id)).all() == []
    assert session.get(NotificationPreference, shopper.id) is None
    for message in session.scalars(select(Notification)):
        assert "Nguyễn Bí Mật" not in json.dumps(message.context, ensure_ascii=False)
    renamed = session.scalars(select(Notification).filter_by(user_id=manager.id,
                                                             kind="visit_submitted")).all()
    assert {n.context["shopper_name"] for n in renamed} == {summary.pseudonym}
