"""A purged photo keeps its row (the answer it illustrated, its reviewer flags) but nothing
that describes the picture: no SHA-256, perceptual hash, size or camera time, here or in the
audit log. Erasure removes the log's hashes of photos the person deleted. Reuse detection
skips purged photos."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from audit.evidence import operations as evidence
from audit.evidence.pipeline import ingest
from audit.extensions import db
from audit.models.actions import ActionPhoto
from audit.models.auditlog import AuditLog, record
from audit.models.visits import Photo
from audit.privacy import retention, subject
from tests.support import encode, exif_block, jpeg, picture

VISIT_PICTURE = jpeg()  # what the `aged` visit's photo is made from
ACTION_PICTURE = jpeg(colour=(10, 200, 10))


def sha(raw: bytes) -> str:
    return ingest(raw, max_bytes=25 * 1024 * 1024).sha256


def everywhere(session, needle: str) -> list[str]:
    """The tables whose rows hold `needle` anywhere (as text)."""
    return sorted(table.name for table in db.metadata.sorted_tables
            if needle in str(session.execute(select(table)).all()))


def picture_fields(photo) -> tuple:
    return (photo.sha256, getattr(photo, "phash", None), photo.width, photo.height,
            photo.size_bytes, photo.captured_at, getattr(photo, "source_format", None))


def test_purge_forgets_the_pictures_and_the_logs_copies(session, world, aged):
    old = aged(30)
    visit_sha, action_sha = sha(VISIT_PICTURE), sha(ACTION_PICTURE)
    assert (old.photo.sha256, old.action_photo.sha256) == (visit_sha, action_sha)
    assert (old.photo.width, old.photo.height) == (800, 600)
    deleted_sha = "ab" * 32  # a photo the shopper deleted from the visit before sending it
    record(world.people.shopper, "photo", 99_999, "delete",
           old={"visit": old.visit.id, "sha256": deleted_sha})
    elsewhere = record(world.people.shopper, "photo", 99_998, "delete",
                       old={"visit": old.visit.id + 1000, "sha256": "cd" * 32})
    session.commit()
    assert everywhere(session, visit_sha) == ["photos"]
    assert everywhere(session, action_sha) == ["action_photos", "audit_log"]

    [summary] = retention.purge()

    assert (summary.photos, summary.action_photos) == (1, 1)
    session.expire_all()
    photo = session.get(Photo, old.photo.id)
    assert picture_fields(photo) == (None,) * 7
    assert (photo.caption, photo.question.code, photo.flags, photo.uploaded_by_id,
            photo.purged_at is not None) == ("", "P1.2", [], world.people.shopper.id, True)
    action_photo = session.get(ActionPhoto, old.action_photo.id)
    assert picture_fields(action_photo) == (None,) * 7
    assert action_photo.purged_at is not None
    for needle in (visit_sha, action_sha, deleted_sha):
        assert everywhere(session, needle) == []
    logged = {(e.entity, e.action, e.entity_id): e for e in session.scalars(
        select(AuditLog).where(AuditLog.action.in_(("delete", "photo"))))}
    assert logged["photo", "delete", 99_999].old_value == {"visit": old.visit.id,
                                                          "sha256": None}
    assert logged["photo", "delete", 99_998].old_value == {"visit": old.visit.id + 1000,
                                                          "sha256": "cd" * 32}  # not purged
    assert logged["corrective_action", "photo", old.action.id].new_value == {
        "photo": old.action_photo.id, "sha256": None}
    assert session.get(AuditLog, elsewhere.id).old_value["sha256"] == "cd" * 32


def test_purged_photo_in_the_api(client, session, world, aged, token_for):
    old = aged(30)
    retention.purge()
    listed = client.get(f"/api/v1/visits/{old.visit.id}/photos",
                        headers=token_for(world.people.manager)).get_json()
    assert [(p["id"], p["width"], p["height"], p["size_bytes"], p["captured_at"],
             p["purged_at"] is not None) for p in listed] == [
        (old.photo.id, None, None, None, None, True)]


def test_reuse_detection_before_and_after_the_purge(session, world, aged, make_visit):
    old = aged(30)
    before = make_visit(branch=world.a.branches[1], status="in_progress")
    reused = evidence.add_photo(before, VISIT_PICTURE, question_code=None, caption="",
                                actor=world.people.shopper)
    assert reused.flags == ["reused"]
    evidence.delete_photo(reused, world.people.shopper)
    retention.purge()
    assert session.get(Photo, old.photo.id).sha256 is None
    after = make_visit(branch=world.a.branches[2], status="in_progress")
    fresh = evidence.add_photo(after, VISIT_PICTURE, question_code=None, caption="",
                               actor=world.people.shopper)
    assert fresh.flags == []  # the purged photo's hash is gone: nothing to match


def test_reuse_detection_with_no_perceptual_hash(session, world, make_visit):
    """A stored photo without a perceptual hash (made before there was one) still counts
    by its SHA-256 and never breaks the comparison."""
    first = make_visit(branch=world.a.branches[0], status="in_progress")
    kept = evidence.add_photo(first, VISIT_PICTURE, question_code=None, caption="",
                              actor=world.people.shopper)
    kept.phash = None
    session.commit()
    second = make_visit(branch=world.a.branches[1], status="in_progress")
    same = evidence.add_photo(second, VISIT_PICTURE, question_code=None, caption="",
                              actor=world.people.shopper)
    other = evidence.add_photo(second, encode(picture(seed=3)), question_code=None,
                               caption="", actor=world.people.shopper)
    assert (same.flags, other.flags) == (["reused"], [])


def test_erasure_forgets_the_hashes_of_photos_the_person_deleted(session, world, aged,
                                                                 make_visit):
    shopper = world.people.shopper
    kept = aged(30)  # submitted and published: its photo stays, as evidence of the branch
    draft = make_visit(branch=world.a.branches[1], status="in_progress")
    when = date.today().strftime("%Y:%m:%d 10:00:00")
    first_raw = encode(picture(seed=5), exif=exif_block(when=when))
    second_raw = encode(picture(seed=6))
    first = evidence.add_photo(draft, first_raw, question_code=None, caption="",
                               actor=shopper)
    evidence.add_photo(draft, second_raw, question_code=None, caption="", actor=shopper)
    evidence.delete_photo(first, shopper)
    deleted_sha, draft_sha = sha(first_raw), sha(second_raw)
    assert everywhere(session, deleted_sha) == ["audit_log"]
    assert everywhere(session, draft_sha) == ["photos"]

    subject.erase_person(shopper, actor=world.people.admin)

    session.expire_all()
    assert everywhere(session, deleted_sha) == []
    assert everywhere(session, draft_sha) == []  # the draft's photo went with the draft
    entry = session.scalars(select(AuditLog).where(
        AuditLog.entity == "photo", AuditLog.action == "delete")).one()
    assert entry.old_value == {"visit": draft.id, "sha256": None}
    assert session.get(Photo, kept.photo.id).sha256 == sha(VISIT_PICTURE)  # kept evidence
