"""The person's own messages (the bell): list with the unread count, mark one or all read."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from marshmallow import fields

from audit import access
from audit.api.errors import Blueprint
from audit.ids import MAX_ID
from audit.models.notifications import Notification
from audit.notifications import operations, service

blp = Blueprint(
    "api_notifications",
    __name__,
    url_prefix="/api/v1/notifications",
    description="The person's notifications (the bell)",
)


class PageQuery(ma.Schema):
    page = fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_ID))


class NotificationSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String(metadata={"description": "In the caller's language."})
    link = fields.String(metadata={"description": "A path of the app."})
    context = fields.Dict()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(ma.Schema):
    unread = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()
    items = fields.List(fields.Nested(NotificationSchema))


class ReadAllSchema(ma.Schema):
    marked = fields.Integer()
    unread = fields.Integer()


def _json(n: Notification, subject: str | None = None) -> dict:
    return {
        "id": n.id,
        "kind": n.kind,
        "subject": subject or service.subject_of(n),
        "link": n.link,
        "context": n.context,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@blp.get("")
@blp.arguments(PageQuery, location="query")
@blp.response(200, NotificationPageSchema)
@blp.errors(422)
@access.require(access.has_notifications)
def list_notifications(query: dict):
    """The caller's messages, newest first, 20 a page, with the unread count."""
    pagination, items = service.page(current_user, query["page"])
    return {
        "unread": service.unread_count(current_user),
        "page": pagination.page,
        "pages": pagination.pages,
        "total": pagination.total,
        "items": [_json(i.notification, i.subject) for i in items],
    }


@blp.post("/<int:notification_id>/read")
@blp.response(200, NotificationSchema)
@blp.errors(400, 403, 404)
@access.require(access.has_notifications)
def read_notification(notification_id: int):
    """Mark one of the caller's messages read (another person's: 404)."""
    return _json(operations.mark_read(current_user, notification_id))


@blp.post("/read")
@blp.response(200, ReadAllSchema)
@blp.errors(400, 403)
@access.require(access.has_notifications)
def read_all():
    """Mark every message of the caller read."""
    marked = operations.mark_all_read(current_user)
    return {"marked": marked, "unread": service.unread_count(current_user)}
