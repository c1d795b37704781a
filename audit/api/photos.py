"""Evidence photos of a visit: upload (multipart) and delete before submit."""

from __future__ import annotations

from typing import NoReturn

import marshmallow as ma
from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest.fields import Upload

from audit import access
from audit.api.errors import Blueprint, api_error
from audit.api.schemas import PhotoForm, PhotoSchema
from audit.api.visits import load_visit, require_fill
from audit.evidence import operations
from audit.evidence.pipeline import PhotoRejected
from audit.extensions import db
from audit.models.visits import Photo

blp = Blueprint("api_photos", __name__, url_prefix="/api/v1/visits", description="Photos")


class PhotoFile(ma.Schema):
    file = Upload(required=True)


def photo_json(photo: Photo) -> dict:
    return {
        "id": photo.id, "visit_id": photo.visit_id,
        "question": photo.question.code if photo.question else None,
        "caption": photo.caption, "width": photo.width, "height": photo.height,
        "size_bytes": photo.size_bytes, "captured_at": photo.captured_at,
        "flags": photo.flags if access.can_see_shopper(current_user) else [],
        "url": url_for("evidence.photo", photo_id=photo.id),
        "thumbnail_url": url_for("evidence.thumbnail", photo_id=photo.id),
        "purged_at": photo.purged_at,
        "visit_revision": photo.visit.revision,
    }


@blp.post("/<int:visit_id>/photos")
@blp.arguments(PhotoForm, location="form")
@blp.arguments(PhotoFile, location="files")
@blp.response(201, PhotoSchema)
@blp.errors(400, 403, 404, 409, 413, 422)
def upload_photo(form: dict, files: dict, visit_id: int):
    """Attach a photo (JPEG, PNG, WebP, HEIC) to the visit or to one of its questions."""
    visit = load_visit(visit_id)
    require_fill(visit)
    raw = files["file"].read(request.max_content_length or -1)
    try:
        photo = operations.add_photo(visit, raw, question_code=form["question"],
                                     caption=form["caption"], actor=current_user,
                                     reported_capture=form["captured_at"],
                                     client_id=form["client_id"])
    except PhotoRejected as error:
        api_error(422, operations.rejection_message(error), {"file": error.key})
    except operations.UnknownQuestion:
        api_error(422, _("This question is not in the visit's checklist."),
                  {"question": form["question"]})
    except operations.VisitClosed:
        closed()
    return photo_json(photo)


@blp.get("/<int:visit_id>/photos")
@blp.response(200, PhotoSchema(many=True))
@blp.errors(404)
def list_photos(visit_id: int):
    """The visit's photos, oldest first."""
    return [photo_json(p) for p in load_visit(visit_id).photos]


@blp.delete("/<int:visit_id>/photos/<int:photo_id>")
@blp.response(204)
@blp.errors(400, 403, 404, 409)
def delete_photo(visit_id: int, photo_id: int):
    """Remove a photo while the visit can still be changed."""
    visit = load_visit(visit_id)
    require_fill(visit)
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.visit_id != visit.id:
        api_error(404, _("Not found."))
    try:
        operations.delete_photo(photo, current_user)
    except operations.VisitClosed:
        closed()


def closed() -> NoReturn:
    """409 for a photo change that reached the visit after it was submitted."""
    api_error(409, _("This visit is no longer open for changes."))
