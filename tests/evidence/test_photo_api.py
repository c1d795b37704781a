"""Uploading, serving and deleting evidence photos through the API, with the access rules."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from audit.models.visits import Photo
from tests.support import encode, exif_block, picture


def upload(client, visit, headers, raw, **form):
    data = {"file": (io.BytesIO(raw), "photo.jpg"), **form}
    return client.post(f"/api/v1/visits/{visit.id}/photos", data=data, headers=headers,
                       content_type="multipart/form-data")


def photo_count(session, visit):
    return session.scalar(select(func.count()).select_from(Photo).where(Photo.visit_id == visit.id))


def test_upload_tied_to_a_question_then_served(file_store, client, world, make_visit, token_for,
                                                session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    when = date.today().strftime("%Y:%m:%d 10:00:00")
    response = upload(client, visit, headers, encode(picture(), exif=exif_block(when=when)),
                      question="P1.2", caption="Tờ rơi trả góp")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["question"] == "P1.2" and body["caption"] == "Tờ rơi trả góp"
    assert (body["width"], body["height"]) == (1200, 800)
    served = client.get(body["url"], headers=headers)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert Image.open(io.BytesIO(served.data)).size == (1200, 800)
    again = client.get(body["url"], headers={**headers, "If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    thumb = client.get(body["thumbnail_url"], headers=headers)
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 320
    photo = session.get(Photo, body["id"])
    assert list(file_store.keys(f"visits/{visit.id}/")) == sorted(
        [photo.storage_key, photo.thumb_key])
    assert file_store.get(photo.storage_key) == served.data
    manager = client.get(f"/api/v1/visits/{visit.id}/photos",
                         headers=token_for(world.people.manager)).get_json()
    assert manager[0]["flags"] == []


def test_broken_photo_is_refused_in_the_users_language_and_nothing_is_stored(
        client, world, make_visit, token_for, session):
    visit = make_visit()
    raw = encode(picture((1600, 1200)), quality=95)
    vi = upload(client, visit, token_for(world.people.shopper, "vi"), raw[:len(raw) // 2])
    assert vi.status_code == 422
    assert vi.get_json()["error"] == "Ảnh tải lên chưa đầy đủ. Hãy gửi lại."
    en = upload(client, visit, token_for(world.people.shopper), b"not an image")
    assert en.status_code == 422
    assert en.get_json()["details"] == {"file": "not_image"}
    assert photo_count(session, visit) == 0


def test_oversize_photo_is_refused(app, client, world, make_visit, token_for, session):
    visit = make_visit()
    app.config["MAX_PHOTO_BYTES"] = 10_000
    try:
        response = upload(client, visit, token_for(world.people.shopper),
                          encode(picture((2000, 1500)), quality=95))
    finally:
        app.config["MAX_PHOTO_BYTES"] = 25 * 1024 * 1024
    assert response.status_code == 422
    assert response.get_json()["details"] == {"file": "too_large"}
    assert photo_count(session, visit) == 0


def test_unknown_question_is_refused(client, world, make_visit, token_for, session):
    visit = make_visit()
    response = upload(client, visit, token_for(world.people.shopper), encode(picture()),
                      question="NOPE")
    assert response.status_code == 422
    assert photo_count(session, visit) == 0


def test_reused_and_out_of_window_photos_are_flagged(client, world, make_visit, token_for):
    first = make_visit(branch=world.a.branches[0])
    second = make_visit(branch=world.a.branches[1])
    headers = token_for(world.people.shopper)
    raw = encode(picture(), exif=exif_block(when="2020:01:01 10:00:00"))
    assert upload(client, first, headers, raw).get_json()["flags"] == []  # shoppers see none
    manager = token_for(world.people.manager)
    upload(client, second, headers, raw)
    flags = client.get(f"/api/v1/visits/{second.id}/photos", headers=manager).get_json()
    assert flags[0]["flags"] == ["reused", "outside_window"]
    upload(client, second, headers, encode(picture().resize((600, 400)), quality=50))
    flags = client.get(f"/api/v1/visits/{second.id}/photos", headers=manager).get_json()
    assert flags[1]["flags"] == ["similar"]


def test_other_shopper_and_owner_cannot_reach_photos(client, world, make_visit, token_for):
    visit = make_visit(branch=world.a.branches[0])
    body = upload(client, visit, token_for(world.people.shopper), encode(picture())).get_json()
    assert client.get(body["url"], headers=token_for(world.people.other_shopper)).status_code == 404
    owner = token_for(world.people.owner)
    assert client.get(body["url"], headers=owner).status_code == 404  # not published
    assert upload(client, visit, token_for(world.people.other_shopper),
                  encode(picture())).status_code == 404
    visit.status = "approved"
    assert client.get(body["url"], headers=owner).status_code == 200
    assert client.get(body["url"]).status_code in (302, 401)  # anonymous


def test_delete_before_submit_only(file_store, client, world, make_visit, token_for, session):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    body = upload(client, visit, headers, encode(picture())).get_json()
    second = upload(client, visit, headers, encode(picture(seed=2))).get_json()
    deleted = client.delete(f"/api/v1/visits/{visit.id}/photos/{body['id']}", headers=headers)
    assert deleted.status_code == 204
    assert len(list(file_store.keys(f"visits/{visit.id}/"))) == 2  # the second photo's pair
    assert client.get(body["url"], headers=headers).status_code == 404
    visit.status = "submitted"
    late = client.delete(f"/api/v1/visits/{visit.id}/photos/{second['id']}", headers=headers)
    assert late.status_code == 409
    assert photo_count(session, visit) == 1


HOSTILE = {
    "text renamed .jpg": (b"just some notes, not a photo\n" * 20, "not_image"),
    "svg": (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "not_image"),
    "zero bytes": (b"", "not_image"),
    "png with a script appended": (None, "trailing_data"),
    "truncated jpeg": (None, "truncated"),
    "decompression bomb": (None, "too_many_pixels"),
}


def hostile(name: str) -> bytes:
    raw, _ = HOSTILE[name]
    if raw is not None:
        return raw
    if name == "png with a script appended":
        return encode(picture((300, 200)), "PNG") + b"<script>alert(document.cookie)</script>"
    if name == "truncated jpeg":
        full = encode(picture((1600, 1200)), quality=95)
        return full[: len(full) // 3]
    return encode(Image.new("1", (12_000, 12_000)), "PNG")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_uploads_are_refused_and_nothing_changes(client, world, make_visit, token_for,
                                                         session, name):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    client.put(f"/api/v1/visits/{visit.id}/answers", headers=headers,
               json={"answers": [{"question": "P1.1", "value": True}]})
    response = upload(client, visit, headers, hostile(name))
    assert response.status_code == 422
    body = response.get_json()
    assert body["details"] == {"file": HOSTILE[name][1]}
    assert body["error"]
    assert photo_count(session, visit) == 0
    session.refresh(visit)
    assert {a.question.code: a.value for a in visit.answers} == {"P1.1": True}


def test_huge_upload_is_413_and_nothing_stored(app, client, world, make_visit, token_for,
                                               session):
    visit = make_visit()
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    try:
        response = upload(client, visit, token_for(world.people.shopper), b"\xff\xd8" * 200_000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 26 * 1024 * 1024
    assert response.status_code == 413
    assert response.get_json()["error"] == "The upload is too large."
    assert photo_count(session, visit) == 0


@pytest.mark.parametrize(("reported", "flags"), [
    ("2020-01-01T03:00:00Z", ["outside_window"]),  # the original's EXIF, read by the phone
    (None, []),
    ("2020-01-01T10:00:00", []),   # no offset: not trusted
    ("2999-01-01T10:00:00Z", []),  # in the future: not trusted
])
def test_a_downscaled_photo_keeps_the_capture_time_the_phone_read(client, world, make_visit,
                                                                   token_for, session,
                                                                   reported, flags):
    """Defect 6: the in-browser downscale drops EXIF, so the window flag never fired."""
    visit = make_visit(branch=world.a.branches[0])
    form = {"captured_at": reported} if reported else {}
    response = upload(client, visit, token_for(world.people.shopper), encode(picture()), **form)
    assert response.status_code == 201, response.get_json()
    photo = session.get(Photo, response.get_json()["id"])
    assert photo.flags == flags
    assert (photo.captured_at is not None) == bool(flags)


def test_the_image_s_own_capture_time_wins_over_the_reported_one(client, world, make_visit,
                                                                  token_for, session):
    visit = make_visit(branch=world.a.branches[0])
    when = date.today().strftime("%Y:%m:%d 10:00:00")
    body = upload(client, visit, token_for(world.people.shopper),
                  encode(picture(), exif=exif_block(when=when)),
                  captured_at="2020-01-01T03:00:00Z").get_json()
    assert session.get(Photo, body["id"]).flags == []
