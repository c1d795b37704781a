"""A photo upload racing the shopper's own submit or autosave: the upload's revision bump
and the submit's versioned UPDATE never both win against a stale read, so no photo slips
into a report already sent, and nothing half-done is left behind."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from audit.evidence import operations as evidence
from audit.models.visits import Photo, Visit
from audit.visits import operations, scores
from tests import support
from tests.concurrency.conftest import Meeting, together


def jpeg() -> bytes:
    return support.jpeg(size=(640, 480), colour=(30, 120, 200))


def state(race, visit_id: int) -> tuple[str, int, int]:
    return race.read(lambda s: (s.get(Visit, visit_id).status, s.get(Visit, visit_id).revision,
                                s.scalar(select(func.count()).select_from(Photo)
                                         .where(Photo.visit_id == visit_id))))


def test_upload_racing_submit_one_wins(race, meeting):
    visit_id = race.make_visit(status="in_progress", answered=True)
    before = state(race, visit_id)[1]
    point = Meeting()
    meeting(scores, "store", point)
    meeting(evidence, "count_photo_change", point)

    def upload():
        return race.app.test_client().post(
            f"/api/v1/visits/{visit_id}/photos", headers=race.headers("shopper"),
            data={"file": (io.BytesIO(jpeg()), "p.jpg")},
            content_type="multipart/form-data").status_code

    def submit():
        return race.app.test_client().post(f"/api/v1/visits/{visit_id}/submit",
                                           headers=race.headers("shopper")).status_code

    uploaded, submitted = together(upload, submit)

    if race.backend == "postgresql":  # both read the same revision: exactly one wins
        assert point.met == 2
        assert (uploaded, submitted) in ((201, 409), (409, 200))
    else:  # one after the other: the photo before the report, or refused after it
        assert (uploaded, submitted) in ((201, 200), (409, 200))
    status, revision, photos = state(race, visit_id)
    assert photos == (1 if uploaded == 201 else 0)
    assert revision == before + (uploaded == 201) + (submitted == 200)
    if submitted == 409:  # the shopper taps again: the report goes, with the photo
        assert submit() == 200
    assert state(race, visit_id)[::2] == ("submitted", photos)


def test_upload_racing_autosave_keeps_the_photo(race, meeting):
    visit_id = race.make_visit(status="in_progress")
    before = state(race, visit_id)[1]
    point = Meeting()
    meeting(operations, "touch", point)
    meeting(evidence, "count_photo_change", point)
    body = {"answers": [{"question": "P1.1", "value": True}]}

    def upload():
        return race.app.test_client().post(
            f"/api/v1/visits/{visit_id}/photos", headers=race.headers("shopper"),
            data={"file": (io.BytesIO(jpeg()), "p.jpg")},
            content_type="multipart/form-data").status_code

    def save():
        return race.app.test_client().put(f"/api/v1/visits/{visit_id}/answers", json=body,
                                          headers=race.headers("shopper")).status_code

    uploaded, saved = together(upload, save)

    assert uploaded == 201  # the upload never loses: it adds beside the answers
    assert saved in ((200, 409) if race.backend == "postgresql" else (200,))
    if saved == 409:  # the page's script keeps the answer and sends it again
        assert save() == 200
    assert state(race, visit_id) == ("in_progress", before + 2, 1)
