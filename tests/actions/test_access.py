"""Who sees and works on corrective actions, page by page, and evidence photos of a fix."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from audit.actions import operations as actions
from audit.models.actions import ActionPhoto, CorrectiveAction
from audit.models.auditlog import AuditLog
from tests.support import encode, login, picture

EN = {"Accept-Language": "en"}


def upload(client, action, raw, name="fix.jpg", caption="Sign put back"):
    return client.post(f"/actions/{action.id}/photos", data={
        "file": (io.BytesIO(raw), name), "caption": caption},
        content_type="multipart/form-data", headers=EN)


# role -> (list page, detail page, comment post, new-action form)
EXPECTED = {
    "admin": (200, 200, 302, 200),
    "manager": (200, 200, 302, 200),
    "owner": (200, 200, 302, 403),
    "other_owner": (200, 404, 404, 403),
    "other_manager": (200, 404, 404, 200),
    "shopper": (403, 403, 403, 403),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_pages_per_role(client, world, action, who):
    login(client, getattr(world.people, who))
    listed = client.get("/actions?status=all", headers=EN)
    detail = client.get(f"/actions/{action.id}", headers=EN)
    comment = client.post(f"/actions/{action.id}/comments", data={"text": "On it"})
    new = client.get("/actions/new", headers=EN)
    assert (listed.status_code, detail.status_code, comment.status_code,
            new.status_code) == EXPECTED[who]
    if listed.status_code == 200:
        visible = f"/actions/{action.id}\"" in listed.get_data(as_text=True)
        assert visible == (who in ("admin", "manager", "owner"))


def test_owner_sees_no_action_of_an_unpublished_visit(client, app, world, reported, session):
    visit = reported({"P3.1": False})
    login(client, world.people.manager)
    client.post("/actions/new", data={"visit": visit.id, "question": "P3.1",
                                      "branch": visit.branch_id, "severity": "minor"})
    raised = session.scalars(select(CorrectiveAction)).one()
    owner = app.test_client()
    login(owner, world.people.owner)
    assert owner.get(f"/actions/{raised.id}").status_code == 404
    assert f"/actions/{raised.id}\"" not in owner.get("/actions").get_data(as_text=True)


def test_detail_shows_the_failed_answer_without_the_shopper(client, world, action):
    login(client, world.people.owner)
    html = client.get(f"/actions/{action.id}", headers=EN).get_data(as_text=True)
    assert "Did a member of staff greet you" in html or "P2.1" in html
    assert "0.00 / " in html
    assert world.people.shopper.name not in html
    assert "Mark as done" in html and "Verify the fix" not in html
    assert "Change the action" not in html


def test_list_filters_counts_and_overdue(client, world, published, session):
    first = published({"P2.1": False, "P2.6": True})
    published({"P2.1": False}, branch=world.a.branches[1], shopper=world.people.other_shopper)
    rows = session.scalars(select(CorrectiveAction).order_by(CorrectiveAction.id)).all()
    rows[0].status = "done"
    rows[1].due_on = rows[1].due_on.replace(year=2020)
    session.commit()
    login(client, world.people.manager)
    html = client.get("/actions", headers=EN).get_data(as_text=True)
    assert "Overdue actions: 1" in html
    assert html.index(f"/actions/{rows[1].id}\"") < html.index(f"/actions/{rows[0].id}\"")
    overdue = client.get("/actions?overdue=1", headers=EN).get_data(as_text=True)
    assert f"/actions/{rows[1].id}\"" in overdue and f"/actions/{rows[2].id}\"" not in overdue
    done = client.get("/actions?status=done", headers=EN).get_data(as_text=True)
    assert f"/actions/{rows[0].id}\"" in done and f"/actions/{rows[1].id}\"" not in done
    branch = client.get(f"/actions?status=all&branch={first.branch_id}",
                        headers=EN).get_data(as_text=True)
    assert f"/actions/{rows[2].id}\"" not in branch
    region = client.get(f"/actions?status=all&region={world.a.branches[1].region_id}",
                        headers=EN).get_data(as_text=True)
    assert f"/actions/{rows[2].id}\"" in region and f"/actions/{rows[0].id}\"" not in region
    assert client.get("/actions?severity=minor", headers=EN).get_data(
        as_text=True).count('class="badge severity-') == 0


def test_evidence_upload_good_then_served_only_in_scope(file_store, client, app, world, action,
                                                         session):
    login(client, world.people.owner)
    response = upload(client, action, encode(picture()))
    assert response.status_code == 302
    photo = session.scalars(select(ActionPhoto)).one()
    assert (photo.action_id, photo.caption, photo.width) == (action.id, "Sign put back", 1200)
    served = client.get(f"/actions/{action.id}/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert client.get(f"/actions/{action.id}/photos/{photo.id}/thumbnail").status_code == 200
    assert list(file_store.keys("actions/")) == sorted([photo.storage_key, photo.thumb_key])
    assert file_store.get(photo.storage_key) == served.data
    assert session.scalars(select(AuditLog).where(AuditLog.action == "photo")).one()
    for who, code in (("other_owner", 404), ("other_manager", 404), ("shopper", 403)):
        other = app.test_client()
        login(other, getattr(world.people, who))
        assert other.get(f"/actions/{action.id}/photos/{photo.id}").status_code == code


def test_evidence_upload_bad_file_says_why_and_keeps_the_caption(client, world, action,
                                                                  session):
    login(client, world.people.owner)
    response = upload(client, action, b"%PDF-1.4 not a photo", name="fix.pdf",
                      caption="Biển số thứ tự")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This file is not a photo we can read." in html
    assert 'value="Biển số thứ tự"' in html
    assert session.scalar(select(func.count()).select_from(ActionPhoto)) == 0


def test_no_evidence_or_comment_from_an_owner_once_verified(client, world, action, session):
    action.status = "verified"
    session.commit()
    login(client, world.people.owner)
    assert upload(client, action, encode(picture())).status_code == 403
    assert client.post(f"/actions/{action.id}/comments",
                       data={"text": "late"}).status_code == 403


def test_operations_refuse_what_the_role_may_not(world, action):
    with pytest.raises(actions.ActionRefused):
        actions.update(action, world.people.owner, severity="minor")
    with pytest.raises(actions.ActionRefused):
        actions.move(action, "verified", world.people.owner)
