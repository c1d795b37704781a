"""Adding or removing a photo is a change of the visit: its version counter (`revision`)
goes up in the photo's own transaction, so a client holding the older revision can tell,
and a photo change that arrives after the visit was submitted changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select, update

from audit.evidence import operations
from audit.models.auditlog import AuditLog
from audit.models.visits import Photo, Visit
from tests.evidence.test_photo_api import upload
from tests.support import encode, login, picture


def revision(client, visit, headers) -> int:
    return client.get(f"/api/v1/visits/{visit.id}", headers=headers).get_json()["revision"]


def test_upload_and_delete_raise_the_revision(file_store, client, world, make_visit,
                                              token_for, session):
    visit = make_visit(status="in_progress")
    headers = token_for(world.people.shopper)
    assert revision(client, visit, headers) == 1
    first = upload(client, visit, headers, encode(picture()))
    assert (first.status_code, first.get_json()["visit_revision"]) == (201, 2)
    assert revision(client, visit, headers) == 2
    second = upload(client, visit, headers, encode(picture(seed=2)), caption="Quầy")
    assert second.get_json()["visit_revision"] == 3
    refused = upload(client, visit, headers, b"not a photo")
    assert refused.status_code == 422
    assert revision(client, visit, headers) == 3  # nothing stored, nothing counted
    deleted = client.delete(f"/api/v1/visits/{visit.id}/photos/{first.get_json()['id']}",
                            headers=headers)
    assert deleted.status_code == 204
    assert revision(client, visit, headers) == 4
    listed = client.get(f"/api/v1/visits/{visit.id}/photos", headers=headers).get_json()
    assert [(p["id"], p["visit_revision"]) for p in listed] == [(second.get_json()["id"], 4)]
    assert session.scalar(select(Visit.status).where(Visit.id == visit.id)) == "in_progress"


def test_the_shoppers_flow_after_an_upload_gets_no_conflict(file_store, client, world,
                                                            make_visit, token_for, session):
    """The shopper's page and its script send no revision with answers (they merge by
    question), so a photo added between two autosaves cannot turn the next one into a 409;
    the answers' responses carry the revision the photo left, plus their own change."""
    visit = make_visit()
    headers = token_for(world.people.shopper)
    body = {"answers": [{"question": "P1.1", "value": True}]}
    saved = client.put(f"/api/v1/visits/{visit.id}/answers", json=body, headers=headers)
    assert (saved.status_code, saved.get_json()["revision"]) == (200, 2)
    assert upload(client, visit, headers, encode(picture())).get_json()["visit_revision"] == 3
    again = client.put(f"/api/v1/visits/{visit.id}/answers", json=body, headers=headers)
    assert (again.status_code, again.get_json()["revision"]) == (200, 3)  # a repeat: unchanged
    more = client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers,
                      json={"answers": [{"question": "P1.2", "value": True}]})
    assert (more.status_code, more.get_json()["revision"]) == (200, 4)


def test_page_upload_then_plain_save_and_double_submit(client, world, make_visit, session):
    visit = make_visit(status="in_progress")
    login(client, world.people.shopper)
    posted = client.post(f"/visits/{visit.id}/photos", data={
        "file": (io.BytesIO(encode(picture())), "p.jpg"), "caption": "x"},
        content_type="multipart/form-data")
    assert posted.status_code == 302
    session.refresh(visit)
    assert visit.revision == 2
    saved = client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes"})
    assert saved.status_code == 302
    session.refresh(visit)
    assert visit.revision == 3
    photo = session.scalars(select(Photo).where(Photo.visit_id == visit.id)).one()
    assert client.post(f"/visits/{visit.id}/photos/{photo.id}/delete").status_code == 302
    session.refresh(visit)
    assert visit.revision == 4
    form = {"q-P1.1": "yes", "action": "submit"}
    first = client.post(f"/visits/{visit.id}", data=form, headers={"Accept-Language": "en"})
    assert first.status_code == 422  # required answers missing: nothing sent, no 409
    assert "Answer the required questions first." in first.get_data(as_text=True)


def _closed_behind_the_session(session, visit) -> None:
    """The visit is submitted by another request after this one loaded it."""
    session.execute(update(Visit).where(Visit.id == visit.id).values(
        status="submitted", revision=Visit.revision + 1),
        execution_options={"synchronize_session": False})
    session.commit()  # (the test's savepoint): the operation's rollback keeps it


def test_upload_reaching_a_visit_submitted_meanwhile_stores_nothing(app, file_store, world,
                                                                    make_visit, session):
    visit = make_visit(status="in_progress")
    _closed_behind_the_session(session, visit)
    with app.test_request_context(), pytest.raises(operations.VisitClosed):
        operations.add_photo(visit, encode(picture()), question_code=None, caption="",
                             actor=world.people.shopper)
    assert session.scalar(select(func.count()).select_from(Photo)) == 0
    assert list(file_store.keys(f"visits/{visit.id}/")) == []
    assert session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.entity == "photo")) == 0
    assert session.execute(select(Visit.status, Visit.revision).where(
        Visit.id == visit.id)).one() == ("submitted", 2)


def test_delete_reaching_a_visit_submitted_meanwhile_keeps_the_photo(app, file_store, world,
                                                                     make_visit, session):
    visit = make_visit(status="in_progress")
    with app.test_request_context():
        photo = operations.add_photo(visit, encode(picture()), question_code=None,
                                     caption="", actor=world.people.shopper)
        _closed_behind_the_session(session, visit)
        with pytest.raises(operations.VisitClosed):
            operations.delete_photo(photo, world.people.shopper)
    assert session.scalar(select(func.count()).select_from(Photo)) == 1
    assert len(list(file_store.keys(f"visits/{visit.id}/"))) == 2
    assert session.execute(select(Visit.status, Visit.revision).where(
        Visit.id == visit.id)).one() == ("submitted", 3)
