"""Serving photos: only through these routes, after the viewer's rights are checked.

The bytes are read from the store (local disk or S3) and sent by the app, never through a
presigned S3 URL: such a URL works for whoever holds it until it expires (history, proxies,
a forwarded link), it would need the bucket's endpoint reachable from every browser, and the
photos are small (downscaled on upload), so the extra hop costs little (bench/storage.py)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user, login_required

from audit import access
from audit.evidence import expiry  # noqa: F401 - registers the tick's report expiry
from audit.extensions import db
from audit.models.visits import Photo, Visit
from audit.storage import storage_for

bp = Blueprint("evidence", __name__)


def _visible_photo(photo_id: int) -> Photo:
    query = access.visits_query(current_user).with_only_columns(Visit.id)
    photo = db.session.get(Photo, photo_id)
    if photo is None or db.session.scalar(query.where(Visit.id == photo.visit_id)) is None:
        abort(404)
    if photo.purged_at is not None:
        abort(410)  # the file was deleted under the retention policy
    return photo


def _send(photo: Photo, key: str, variant: str) -> Response:
    etag = f"{photo.sha256[:32]}-{variant}"
    response = Response(mimetype=photo.content_type)
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    response.set_data(storage_for(current_app).get(key))
    return response


@bp.get("/photos/<int:photo_id>")
@login_required
def photo(photo_id: int):
    found = _visible_photo(photo_id)
    return _send(found, found.storage_key, "full")


@bp.get("/photos/<int:photo_id>/thumbnail")
@login_required
def thumbnail(photo_id: int):
    found = _visible_photo(photo_id)
    return _send(found, found.thumb_key or found.storage_key, "thumb")
